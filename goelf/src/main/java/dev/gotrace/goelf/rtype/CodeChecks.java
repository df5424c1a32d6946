package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.Instruction;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.goelf.x86.ModRm;
import dev.gotrace.goelf.x86.X86Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runtime's own amd64 assembly (runtime/asm_amd64.s) where it touches the fields of g, as a
 * second witness of a layout read from g's type descriptor:
 *
 * <ul>
 *   <li>{@code rt0_go} sets up g0's stack: {@code MOVQ BX, (g_stack+stack_lo)(DI)} immediately
 *       followed by {@code MOVQ SP, (g_stack+stack_hi)(DI)};
 *   <li>{@code mcall} (register ABI, Go 1.17+, g in R14) first saves the caller's PC and SP in
 *       {@code g.sched} ({@code MOVQ BX, (g_sched+gobuf_pc)(R14)}, {@code MOVQ BX,
 *       (g_sched+gobuf_sp)(R14)}) and then loads {@code MOVQ g_m(R14), BX}.
 * </ul>
 *
 * A witness that is found and disagrees refuses the layout; one whose instruction pattern is not
 * found only leaves a note (the descriptor is the proof, the code a cross-check).
 */
final class CodeChecks {
  private static final int OP_MOV_STORE = 0x89;
  private static final int OP_MOV_LOAD = 0x8b;
  private static final int RSP = 4;
  private static final int R14 = 14;
  /** rt0_go sets g0's stack within its first few instructions. */
  private static final int RT0_WINDOW = 24;

  record Result(Optional<String> disagreement, List<String> notes) {}

  private final Arch arch;
  private final GoVersion version;
  private final FunctionBytes.Source functions;

  CodeChecks(Arch arch, GoVersion version, FunctionBytes.Source functions) {
    this.arch = arch;
    this.version = version;
    this.functions = functions;
  }

  Result check(GLayout g, long gobufSp, long gobufPc) throws GoBinaryException {
    List<String> notes = new ArrayList<>();
    if (arch != Arch.AMD64) {
      notes.add("no code cross-check on " + arch.goArch());
      return new Result(Optional.empty(), notes);
    }
    Optional<List<X86Instruction>> rt0 = listing("runtime.rt0_go.abi0", "runtime.rt0_go");
    Optional<long[]> stack = rt0.flatMap(CodeChecks::g0Stack);
    if (stack.isEmpty()) {
      notes.add("runtime.rt0_go: g0's stack stores not found, stack.lo/hi not cross-checked");
    } else if (stack.get()[0] != g.stackLo() || stack.get()[1] != g.stackHi()) {
      return disagree("runtime.rt0_go stores g0's stack.lo/hi at " + stack.get()[0] + "/" + stack.get()[1]
          + " but runtime.g's type descriptor puts them at " + g.stackLo() + "/" + g.stackHi());
    } else {
      notes.add("runtime.rt0_go confirms stack.lo/hi");
    }
    if (!version.atLeast(1, 17)) {
      notes.add("runtime.mcall keeps g in TLS before go1.17: sched and m not cross-checked");
      return new Result(Optional.empty(), notes);
    }
    Optional<List<X86Instruction>> mcall = listing("runtime.mcall");
    Optional<long[]> saved = mcall.flatMap(CodeChecks::mcallAccesses);
    if (saved.isEmpty()) {
      notes.add("runtime.mcall: its g.sched stores and g.m load not found, sched and m not cross-checked");
      return new Result(Optional.empty(), notes);
    }
    long pcAt = saved.get()[0];
    long spAt = saved.get()[1];
    long mAt = saved.get()[2];
    if (pcAt != g.sched() + gobufPc || spAt != g.sched() + gobufSp) {
      return disagree("runtime.mcall saves the caller's pc/sp at " + pcAt + "/" + spAt
          + " but runtime.g's type descriptor puts sched.pc/sp at " + (g.sched() + gobufPc) + "/" + (g.sched() + gobufSp));
    }
    if (mAt != g.m()) {
      return disagree("runtime.mcall loads g.m from offset " + mAt + " but runtime.g's type descriptor puts m at " + g.m());
    }
    notes.add("runtime.mcall confirms sched and m");
    return new Result(Optional.empty(), notes);
  }

  private static Result disagree(String what) {
    return new Result(Optional.of(what), List.of());
  }

  private Optional<List<X86Instruction>> listing(String... names) throws GoBinaryException {
    for (String n : names) {
      Optional<FunctionBytes> f = functions.function(n);
      if (f.isPresent()) {
        List<X86Instruction> out = new ArrayList<>();
        for (Instruction i : Code.decode(arch, f.get().code(), f.get().entry())) {
          out.add((X86Instruction) i);
        }
        return Optional.of(out);
      }
    }
    return Optional.empty();
  }

  /** {lo, hi}: the store just before the first {@code MOVQ SP, d(R)}, and that store's d. */
  static Optional<long[]> g0Stack(List<X86Instruction> code) {
    for (int i = 1; i < code.size() && i < RT0_WINDOW; i++) {
      Optional<ModRm> hi = store(code.get(i));
      if (hi.isPresent() && hi.get().reg() == RSP) {
        Optional<ModRm> lo = store(code.get(i - 1));
        if (lo.isEmpty() || lo.get().base() != hi.get().base()) {
          return Optional.empty();
        }
        return Optional.of(new long[] {lo.get().disp(), hi.get().disp()});
      }
    }
    return Optional.empty();
  }

  /** {pc, sp, m}: mcall's first two stores to d(R14) and its first load from d(R14), before any branch. */
  static Optional<long[]> mcallAccesses(List<X86Instruction> code) {
    List<Long> stores = new ArrayList<>();
    for (X86Instruction in : code) {
      if (in.flow() != Flow.NEXT) {
        return Optional.empty();
      }
      Optional<ModRm> st = store(in);
      if (st.isPresent() && st.get().base() == R14) {
        stores.add(st.get().disp());
      }
      Optional<ModRm> ld = load(in);
      if (ld.isPresent() && ld.get().base() == R14) {
        return stores.size() >= 2 ? Optional.of(new long[] {stores.get(0), stores.get(1), ld.get().disp()})
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The memory operand of {@code MOVQ r64, d(base)} (no index). */
  private static Optional<ModRm> store(X86Instruction in) {
    return in.is(OP_MOV_STORE) && in.rexW() ? simpleMemory(in) : Optional.empty();
  }

  /** The memory operand of {@code MOVQ d(base), r64} (no index). */
  private static Optional<ModRm> load(X86Instruction in) {
    return in.is(OP_MOV_LOAD) && in.rexW() ? simpleMemory(in) : Optional.empty();
  }

  private static Optional<ModRm> simpleMemory(X86Instruction in) {
    Optional<ModRm> m = in.modrm();
    if (m.isEmpty() || m.get().isRegister() || m.get().index() != ModRm.NONE
        || m.get().base() == ModRm.NONE || m.get().base() == ModRm.RIP || in.has(X86Instruction.PREFIX_FS)) {
      return Optional.empty();
    }
    return m;
  }
}
