package dev.gotrace.goelf.x86;

import dev.gotrace.goelf.code.InvalidInstructionException;

/**
 * Constraints of the legacy two-byte map that the shape table cannot express, from the Intel
 * SDM Vol. 2 instruction pages: mandatory prefixes (SSE opcodes undefined without 66/F2/F3),
 * register-only and memory-only operands, and undefined group extensions (table A-6).
 */
final class Legacy0F {
  private Legacy0F() {}

  private static final int P66 = X86Instruction.PREFIX_OPSIZE;
  private static final int PF3 = X86Instruction.PREFIX_REP;
  private static final int PF2 = X86Instruction.PREFIX_REPNE;

  /**
   * Throws when 0F {@code op} with these prefixes and operand is undefined; {@code register}
   * says whether the ModRM operand (if {@code hasModrm}) names a register, {@code ext} is its
   * reg field without REX.R (0 when there is no ModRM).
   */
  static void check(int op, int prefixes, boolean hasModrm, boolean register, int ext, long address)
      throws InvalidInstructionException {
    String why = violation(op, prefixes, hasModrm && register, hasModrm ? ext : 0);
    if (why != null) {
      throw new InvalidInstructionException(address,
          String.format("0F %02X /%d: %s", op, hasModrm ? ext : 0, why));
    }
  }

  private static String violation(int op, int prefixes, boolean reg, int ext) {
    int sse = prefixes & (P66 | PF3 | PF2);
    return switch (op) {
      case 0x6c, 0x6d -> sse == P66 ? null : "PUNPCK*QDQ needs 66";
      case 0x7c, 0x7d, 0xd0 -> sse == P66 || sse == PF2 ? null : "needs 66 or F2";
      case 0xd6 -> sse != 0 ? null : "MOVQ/MOVQ2DQ/MOVDQ2Q need a prefix";
      case 0xe6 -> sse != 0 ? null : "CVT*2* needs 66, F2 or F3";
      case 0xf0 -> sse == PF2 && !reg ? null : "LDDQU needs F2 and memory";
      case 0x50, 0xc5, 0xd7, 0xf7 -> reg ? null : "register operand required";
      case 0x13, 0x17, 0x2b, 0xc3, 0xe7, 0xb2, 0xb4, 0xb5 -> reg ? "memory operand required" : null;
      case 0x71, 0x72 -> reg && (ext == 2 || ext == 4 || ext == 6) ? null
          : "undefined shift-by-immediate group";
      case 0x73 -> reg && (ext == 2 || ext == 6 || (ext == 3 || ext == 7) && sse == P66)
          ? null : "undefined shift-by-immediate group";
      case 0x00 -> ext < 6 ? null : "undefined group 6 extension";
      case 0xc7 -> group9(ext, reg);
      default -> null;
    };
  }

  private static String group9(int ext, boolean reg) {
    if (reg) {
      return ext == 6 || ext == 7 ? null : "undefined group 9 register form"; // RDRAND, RDSEED/RDPID
    }
    return ext == 0 || ext == 2 ? "undefined group 9 memory form" : null;
  }
}
