package dev.gotrace.probes.vm;

import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine: the maps of one set of programs (made from the same {@link MapSpec}s a real run
 * creates), the traced process's user memory and the kernel's memory, kept across runs, so that
 * an entry program's map update is what the exit program finds. Each {@link #run} gets a fresh
 * context (the {@link Call}'s bytes, in R1) and a fresh, uninitialised 512-byte stack (R10 is its
 * top).
 *
 * <pre>{@code
 * Vm vm = new Vm(spec.maps());
 * vm.user().putLong(g + 8, stackHi);
 * vm.run(entry, Call.of(ptRegs).withCookie(0).withKtime(1_000));
 * long count = vm.array("stats").u64(0, 0);
 * }</pre>
 */
public final class Vm {
  /** Instructions one run may execute unless {@link #stepLimit(int)} says otherwise. */
  public static final int DEFAULT_STEP_LIMIT = 1_000_000;

  private final AddressSpace space = new AddressSpace();
  private final List<VmMap> maps = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final SparseMemory user = new SparseMemory();
  private final SparseMemory kernel = new SparseMemory();
  private int stepLimit = DEFAULT_STEP_LIMIT;
  /** Programs decoded once (by identity: a Program is a value, hashing its listing costs a run). */
  private final Map<Program, Code> decoded = new IdentityHashMap<>();

  /** What a run returned: R0 at exit, and how many instructions it executed. */
  public record Result(long r0, int steps) {}

  /** A machine with the maps of {@code specs} (names must be distinct). */
  public Vm(List<MapSpec> specs) {
    for (MapSpec s : specs) {
      if (names.contains(s.name())) {
        throw new IllegalArgumentException("two maps named " + s.name());
      }
      names.add(s.name());
      maps.add(VmMap.of(s, space));
    }
  }

  /** Limits each run to {@code limit} executed instructions. */
  public Vm stepLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("step limit " + limit);
    }
    this.stepLimit = limit;
    return this;
  }

  /** The traced process's memory ({@code bpf_probe_read_user}). */
  public SparseMemory user() {
    return user;
  }

  /** The kernel's memory ({@code bpf_probe_read_kernel}). */
  public SparseMemory kernel() {
    return kernel;
  }

  /** The maps, in the order given. */
  public List<VmMap> maps() {
    return List.copyOf(maps);
  }

  /** Map {@code name}. */
  public VmMap map(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no map " + name + "; the machine has " + String.join(", ", names));
    }
    return maps.get(i);
  }

  /** Array map {@code name}. */
  public VmArray array(String name) {
    return as(name, VmArray.class);
  }

  /** Hash map {@code name}. */
  public VmHash hash(String name) {
    return as(name, VmHash.class);
  }

  /** Ring buffer {@code name}. */
  public VmRing ring(String name) {
    return as(name, VmRing.class);
  }

  private <T extends VmMap> T as(String name, Class<T> type) {
    VmMap m = map(name);
    if (!type.isInstance(m)) {
      throw new IllegalArgumentException("map " + name + " is a " + m.spec().type() + ", not a " + type.getSimpleName());
    }
    return type.cast(m);
  }

  /**
   * Runs {@code program} once on {@code call}; a program the verifier would refuse, or that does
   * at run time what it would refuse, throws VmException (the maps keep what ran before).
   */
  public Result run(Program program, Call call) {
    Code code = decoded.get(program);
    if (code == null) {
      if (decoded.size() >= 256) {
        decoded.clear();
      }
      code = new Code(program, names);
      decoded.put(program, code);
    }
    byte[] ctx = call.context();
    space.place(new Region("the context", AddressSpace.CONTEXT, ctx, false, ctx.length, Math.max(1, ctx.length),
        false));
    byte[] stack = new byte[AddressSpace.STACK_SIZE];
    space.place(new Region("the stack", AddressSpace.STACK_TOP - stack.length, stack, true, stack.length,
        stack.length, true));
    return new Execution(this, code, call, space).run(stepLimit);
  }

  /** The handle {@code ld_imm64} of map {@code index} loads. */
  long handle(int index) {
    return AddressSpace.MAP_HANDLES + index * 0x1000L;
  }

  /** The map of handle {@code v}, or null. */
  VmMap mapAt(long v) {
    long d = v - AddressSpace.MAP_HANDLES;
    if (d < 0 || d % 0x1000 != 0 || d / 0x1000 >= maps.size()) {
      return null;
    }
    return maps.get((int) (d / 0x1000));
  }
}
