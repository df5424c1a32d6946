package dev.gotrace.goelf.rtype;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arm64.Arm64Instruction;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.Instruction;
import java.util.List;
import java.util.Optional;

/**
 * runtime/asm_arm64.s, g in R28. {@code rt0_go}: {@code MOVD RSP, R7} and later {@code MOVD R0,
 * (g_stack+stack_lo)(g)} immediately followed by {@code MOVD R7, (g_stack+stack_hi)(g)}.
 * {@code mcall}: {@code MOVD RSP, R0; MOVD R0, (g_sched+gobuf_sp)(g)}, {@code MOVD LR,
 * (g_sched+gobuf_pc)(g)}, then {@code MOVD g_m(g), R8}. Encodings: STR/LDR (immediate, unsigned
 * offset, 64-bit) {@code f9000000}/{@code f9400000} with imm12 scaled by 8; {@code MOV Xd, SP} is
 * {@code ADD Xd, SP, #0} ({@code 910003e0 | d}).
 */
final class Arm64Witness implements GWitness {
  private static final int G = Arch.ARM64.gRegister().orElseThrow().number();
  private static final int LR = 30;

  @Override
  public Optional<long[]> g0Stack(List<Instruction> code) {
    int spCopy = -1;
    for (int i = 0; i < code.size() && i < Amd64Witness.RT0_WINDOW; i++) {
      int w = ((Arm64Instruction) code.get(i)).word();
      if (isMovFromSp(w)) {
        spCopy = w & 0x1f;
      } else if (isStore(w) && base(w) == G && spCopy >= 0 && rt(w) == spCopy) {
        int prev = i > 0 ? ((Arm64Instruction) code.get(i - 1)).word() : 0;
        if (!isStore(prev) || base(prev) != G) {
          return Optional.empty();
        }
        return Optional.of(new long[] {disp(prev), disp(w)});
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<long[]> mcall(List<Instruction> code) {
    int spCopy = -1;
    long sp = -1;
    long pc = -1;
    for (Instruction i : code) {
      if (i.flow() != Flow.NEXT) {
        return Optional.empty();
      }
      int w = ((Arm64Instruction) i).word();
      if (isMovFromSp(w)) {
        spCopy = w & 0x1f;
      } else if (isStore(w) && base(w) == G) {
        if (rt(w) == spCopy && sp < 0) {
          sp = disp(w);
        } else if (rt(w) == LR && pc < 0) {
          pc = disp(w);
        }
      } else if (isLoad(w) && base(w) == G) {
        return sp >= 0 && pc >= 0 ? Optional.of(new long[] {pc, sp, disp(w)}) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static boolean isMovFromSp(int w) {
    return (w & 0xffffffe0) == 0x910003e0;
  }

  private static boolean isStore(int w) {
    return (w & 0xffc00000) == 0xf9000000;
  }

  private static boolean isLoad(int w) {
    return (w & 0xffc00000) == 0xf9400000;
  }

  private static int base(int w) {
    return (w >>> 5) & 0x1f;
  }

  private static int rt(int w) {
    return w & 0x1f;
  }

  private static long disp(int w) {
    return (long) ((w >>> 10) & 0xfff) * 8;
  }
}
