package dev.gotrace.goelf.x86;

/**
 * What identifies an x86 instruction's operation, packed in one int so that a linear decode can
 * keep it per instruction without an object: the opcode byte (bits 7:0), its map (9:8), VEX/EVEX
 * (10), REX.W (11), a memory ModRM operand (12) and the {@code X86Instruction.PREFIX_*} bits
 * (23:16). Analyses test a summary first and decode the full {@link X86Instruction} only for the
 * few instructions that pass.
 */
public final class OpcodeSummary {
  private static final int VEX = 1 << 10;
  private static final int REX_W = 1 << 11;
  private static final int MEMORY = 1 << 12;
  private static final int PREFIX_SHIFT = 16;

  private OpcodeSummary() {}

  static int of(int map, int opcode, boolean vex, int prefixes, boolean rexW, boolean memory) {
    return opcode & 0xff | (map & 3) << 8 | (vex ? VEX : 0) | (rexW ? REX_W : 0)
        | (memory ? MEMORY : 0) | (prefixes & 0xff) << PREFIX_SHIFT;
  }

  /** Whether it is the one-byte-map, non-VEX opcode {@code op} (as {@link X86Instruction#is}). */
  public static boolean is(int summary, int op) {
    return (summary & (0x3ff | VEX)) == (op & 0xff);
  }

  /** Whether the {@code X86Instruction.PREFIX_*} bit {@code prefix} is present. */
  public static boolean has(int summary, int prefix) {
    return ((summary >>> PREFIX_SHIFT) & prefix) != 0;
  }

  /** Whether REX.W (or VEX/EVEX.W in 64-bit mode) is set. */
  public static boolean rexW(int summary) {
    return (summary & REX_W) != 0;
  }

  /** Whether the instruction has a ModRM operand that is memory, not a register. */
  public static boolean memoryOperand(int summary) {
    return (summary & MEMORY) != 0;
  }
}
