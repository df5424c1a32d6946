package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.Instruction;
import dev.gotrace.goelf.x86.ModRm;
import dev.gotrace.goelf.x86.X86Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * runtime/asm_amd64.s. {@code rt0_go}: {@code MOVQ BX, (g_stack+stack_lo)(DI)} immediately
 * followed by {@code MOVQ SP, (g_stack+stack_hi)(DI)}. {@code mcall} with the register ABI (Go
 * 1.17+, g in R14): {@code MOVQ BX, (g_sched+gobuf_pc)(R14)}, then {@code MOVQ BX,
 * (g_sched+gobuf_sp)(R14)}, then, after the bp store, {@code MOVQ g_m(R14), BX}. Before Go 1.17
 * mcall reaches g through TLS and is not used.
 */
final class Amd64Witness implements GWitness {
  private static final int OP_MOV_STORE = 0x89;
  private static final int OP_MOV_LOAD = 0x8b;
  private static final int RSP = Arch.AMD64.stackPointer().number();
  private static final int R14 = Arch.AMD64.gRegister().orElseThrow().number();
  /** rt0_go sets g0's stack within its first few instructions. */
  static final int RT0_WINDOW = 24;

  private final boolean registerG;

  Amd64Witness(boolean registerG) {
    this.registerG = registerG;
  }

  @Override
  public Optional<long[]> g0Stack(List<Instruction> code) {
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

  @Override
  public Optional<long[]> mcall(List<Instruction> code) {
    if (!registerG) {
      return Optional.empty();
    }
    List<Long> stores = new ArrayList<>();
    for (Instruction i : code) {
      if (i.flow() != Flow.NEXT) {
        return Optional.empty();
      }
      Optional<ModRm> st = store(i);
      if (st.isPresent() && st.get().base() == R14) {
        stores.add(st.get().disp());
      }
      Optional<ModRm> ld = load(i);
      if (ld.isPresent() && ld.get().base() == R14) {
        return stores.size() >= 2 ? Optional.of(new long[] {stores.get(0), stores.get(1), ld.get().disp()})
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The memory operand of {@code MOVQ r64, d(base)} (no index). */
  private static Optional<ModRm> store(Instruction i) {
    return i instanceof X86Instruction in && in.is(OP_MOV_STORE) && in.rexW() ? simpleMemory(in) : Optional.empty();
  }

  /** The memory operand of {@code MOVQ d(base), r64} (no index). */
  private static Optional<ModRm> load(Instruction i) {
    return i instanceof X86Instruction in && in.is(OP_MOV_LOAD) && in.rexW() ? simpleMemory(in) : Optional.empty();
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
