package dev.gotrace.goelf.x86;

/**
 * The decoded ModRM (and SIB) operand of an instruction. Register numbers are 0..15 with the
 * REX/VEX extension bits applied (0 = AX, 4 = SP, 12 = R12, 14 = R14).
 *
 * @param mod the ModRM.mod field; 3 means {@link #rm} is a register
 * @param reg the ModRM.reg field, extended by REX.R (an opcode extension for group opcodes)
 * @param rm the register operand when {@code mod == 3}; otherwise the raw extended rm field
 * @param base base register of a memory operand, {@link #RIP}, or {@link #NONE}
 * @param index index register of a memory operand or {@link #NONE}
 * @param scale 1, 2, 4 or 8
 * @param disp the sign-extended displacement (0 when absent)
 */
public record ModRm(int mod, int reg, int rm, int base, int index, int scale, long disp) {
  /** No register. */
  public static final int NONE = -1;
  /** The instruction pointer as a base (RIP-relative addressing). */
  public static final int RIP = 16;

  /** Whether the operand is a register rather than memory. */
  public boolean isRegister() {
    return mod == 3;
  }

  /** The ModRM.reg field without the REX.R extension: the opcode extension of group opcodes. */
  public int ext() {
    return reg & 7;
  }
}
