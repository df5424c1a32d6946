package dev.gotrace.core.stack;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.pclntab.PcRange;
import dev.gotrace.goelf.pclntab.SourcePos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runtime PCs of a kernel walk ({@link KernelStack}) into a {@link GoStack}, through the binary's
 * pclntab as Go's runtime symbolises its tracebacks: the probed PC is looked up as it is, a return
 * address at {@code pc - 1} (the call instruction, whose line is the call's; the return address
 * may already be the next line's first instruction); calls the compiler inlined at that PC are
 * expanded from the function's inline tree, the innermost first, each {@code inlined = true},
 * the innermost at the PC's own file:line and each outer one at the call site of the one inside
 * it. Frames are memoised per PC. Not thread-safe.
 *
 * <p>Where the walk ended: at {@code runtime.goexit} (every goroutine's first return address)
 * {@link GoStack.End#COMPLETE}, the frame itself not shown; at {@code runtime.morestack*}
 * {@link GoStack.End#MORESTACK}; at a frame of the system stack (a top frame other than goexit,
 * {@code systemstack}, {@code mcall}, {@code mstart}, a signal handler, cgo's switches) {@link
 * GoStack.End#SYSTEM_STACK}; at a PC in no function or a fault in the kernel {@link
 * GoStack.End#UNREADABLE}; when the kernel stopped at the depth {@link GoStack.End#DEPTH}; a chain
 * whose frame pointer was 0 before any of those, or a site whose start the plan could not prove,
 * {@link GoStack.End#NO_FRAME_POINTER} naming the last function seen. Each early end names the
 * function it stopped at in {@code endDetail}.
 */
public final class StackSymbolizer {
  /** funcFlag_TOPFRAME (runtime/symtab.go, Go 1.17+). */
  private static final int TOPFRAME = 1;
  private static final Set<String> SYSTEM = Set.of("runtime.systemstack", "runtime.systemstack_switch",
      "runtime.mcall", "runtime.mstart", "runtime.mstart0", "runtime.mstart1", "runtime.rt0_go",
      "runtime.sigtramp", "runtime.sigtrampgo", "runtime.sigreturn", "runtime.sigreturn__sigaction",
      "runtime.asmcgocall", "runtime.cgocallback", "runtime.asmcgocall_no_g");

  private final GoBinary bin;
  private final Map<Long, Machine> memo = new HashMap<>();

  public StackSymbolizer(GoBinary bin) {
    this.bin = bin;
  }

  /** One machine frame: its function (null when the PC is in none) and its frames, innermost first. */
  private record Machine(GoFunc function, List<Frame> frames) {}

  /** The stack of {@code s}, whose PCs are run-time addresses {@code bias} above link-time ones. */
  public GoStack symbolize(KernelStack s, long bias) {
    List<Frame> frames = new ArrayList<>();
    String last = "";
    for (int i = 0; i < s.depth(); i++) {
      long link = s.pc(i) - bias;
      Machine m = machine(link, i > 0);
      if (m.function() == null) {
        return new GoStack(frames, GoStack.End.UNREADABLE, String.format("0x%x", link));
      }
      String name = m.function().name();
      if (name.equals("runtime.goexit")) {
        return new GoStack(frames, GoStack.End.COMPLETE, "");
      }
      frames.addAll(m.frames());
      if (name.startsWith("runtime.morestack")) {
        return new GoStack(frames, GoStack.End.MORESTACK, name);
      }
      if (SYSTEM.contains(name) || (m.function().flags() & TOPFRAME) != 0) {
        return new GoStack(frames, GoStack.End.SYSTEM_STACK, name);
      }
      last = name;
    }
    return switch (s.end()) {
      case KernelStack.DEPTH -> new GoStack(frames, GoStack.End.DEPTH, "");
      case KernelStack.UNREADABLE -> new GoStack(frames, GoStack.End.UNREADABLE, last);
      default -> new GoStack(frames, GoStack.End.NO_FRAME_POINTER, last);
    };
  }

  /** The stack of an event whose stack the kernel could not record (its map was full). */
  public static GoStack mapFull() {
    return new GoStack(List.of(), GoStack.End.MAP_FULL, "");
  }

  /**
   * The frames at link-time address {@code pc}, innermost first: the inlined calls there, then the
   * function. {@code returnAddress}: {@code pc} is a return address, looked up at {@code pc - 1}.
   */
  public List<Frame> frames(long pc, boolean returnAddress) {
    return machine(pc, returnAddress).frames();
  }

  private Machine machine(long pc, boolean returnAddress) {
    long key = pc << 1 | (returnAddress ? 1 : 0);
    Machine m = memo.get(key);
    if (m == null) {
      m = resolve(pc, returnAddress ? pc - 1 : pc);
      memo.put(key, m);
    }
    return m;
  }

  private Machine resolve(long pc, long at) {
    Optional<GoFunc> f = bin.funcForPc(at);
    if (f.isEmpty()) {
      return new Machine(null, List.of(new Frame("?", "", 0, false, pc)));
    }
    Optional<SourcePos> pos;
    List<InlinedCall> chain;
    try {
      pos = bin.sourcePos(at);
      chain = inlinedAt(bin.inlineTree(f.get()), at);
    } catch (GoBinaryException e) { // a damaged table: the function alone
      return new Machine(f.get(), List.of(new Frame(f.get().name(), "", 0, false, pc)));
    }
    List<Frame> frames = new ArrayList<>();
    Optional<SourcePos> where = pos;
    for (InlinedCall c : chain) {
      frames.add(frame(c.function(), where, true, pc));
      where = c.callSite();
    }
    frames.add(frame(f.get().name(), where, false, pc));
    return new Machine(f.get(), List.copyOf(frames));
  }

  private static Frame frame(String function, Optional<SourcePos> pos, boolean inlined, long pc) {
    return new Frame(function, pos.map(SourcePos::file).orElse(""), pos.map(SourcePos::line).orElse(0), inlined, pc);
  }

  /**
   * The inlined calls whose code holds {@code pc}, innermost first: the entries of the tree whose
   * ranges contain it form one chain from the innermost (no other such entry names it as its
   * parent) up through the parents.
   */
  static List<InlinedCall> inlinedAt(List<InlinedCall> tree, long pc) {
    Map<Integer, InlinedCall> holding = new HashMap<>();
    for (InlinedCall c : tree) {
      for (PcRange r : c.ranges()) {
        if (Long.compareUnsigned(pc, r.start()) >= 0 && Long.compareUnsigned(pc, r.end()) < 0) {
          holding.put(c.index(), c);
          break;
        }
      }
    }
    if (holding.isEmpty()) {
      return List.of();
    }
    Set<Integer> parents = new HashSet<>();
    for (InlinedCall c : holding.values()) {
      parents.add(c.parent());
    }
    InlinedCall inner = null;
    for (InlinedCall c : holding.values()) {
      if (!parents.contains(c.index()) && (inner == null || c.index() > inner.index())) {
        inner = c;
      }
    }
    List<InlinedCall> chain = new ArrayList<>();
    for (InlinedCall c = inner; c != null && chain.size() <= holding.size(); c = holding.get(c.parent())) {
      chain.add(c);
    }
    return chain;
  }
}
