package dev.gotrace.goelf.x86;

/**
 * Operand shapes of the legacy opcode maps, one character per opcode, transcribed from Intel SDM
 * Vol. 2 appendix A (tables; for the three-byte maps). Only what
 * determines the length is kept: ModRM present or not, and the immediate's kind.
 *
 * <pre>
 *   M  ModRM, no immediate          .  no operand bytes
 *   b  imm8                         z  imm16/32 by operand size
 *   w  imm16                        X  ModRM + imm8
 *   Y  ModRM + imm16/32             P  prefix (handled before lookup)
 *   !  undefined                    6  no operand bytes, undefined in 64-bit mode
 *   7  imm8, undefined in 64-bit    8  ModRM + imm8, undefined in 64-bit
 *   R  REX in 64-bit, INC/DEC in 32 V  MOV r, imm16/32/64 (B8+r)
 *   O  moffs (address size)         E  ENTER iw, ib
 *   F  far pointer (32-bit only)    T  group 3 byte (F6): imm8 for /0 /1
 *   U  group 3 (F7): imm16/32 for /0 /1
 *   C  VEX (C4/C5) or LES/LDS       D  EVEX (62) or BOUND
 *   2  0F escape  3  0F38 escape  4  0F3A escape
 * </pre>
 *
 * <p>In {@link #TWO_BYTE}, {@code R} marks MOV to/from control and debug registers, whose ModRM
 * always names a register whatever its mod field (SDM MOV CR / MOV DR: "mod bits are ignored").
 */
final class OpcodeMaps {
  private OpcodeMaps() {}

  static final String ONE_BYTE =
      "MMMMbz66MMMMbz62" // 00
          + "MMMMbz66MMMMbz66" // 10
          + "MMMMbzP6MMMMbzP6" // 20
          + "MMMMbzP6MMMMbzP6" // 30
          + "RRRRRRRRRRRRRRRR" // 40
          + "................" // 50
          + "66DMPPPPzYbX...." // 60
          + "bbbbbbbbbbbbbbbb" // 70
          + "XY8XMMMMMMMMMMMM" // 80
          + "..........F....." // 90
          + "OOOO....bz......" // A0
          + "bbbbbbbbVVVVVVVV" // B0
          + "XXw.CCXYE.w..b6." // C0
          + "MMMM77!.MMMMMMMM" // D0
          + "bbbbbbbbzzFb...." // E0
          + "P.PP..TU......MM"; // F0

  static final String TWO_BYTE =
      "MMMM!.....!.!M!!" // 00
          + "MMMMMMMMMMMMMMMM" // 10
          + "RRRR!!!!MMMMMMMM" // 20
          + "......!.3!4!!!!!" // 30
          + "MMMMMMMMMMMMMMMM" // 40
          + "MMMMMMMMMMMMMMMM" // 50
          + "MMMMMMMMMMMMMMMM" // 60
          + "XXXXMMM.MM!!MMMM" // 70
          + "zzzzzzzzzzzzzzzz" // 80
          + "MMMMMMMMMMMMMMMM" // 90
          + "...MXM!!...MXMMM" // A0
          + "MMMMMMMMMMXMMMMM" // B0
          + "MMXMXXXM........" // C0
          + "MMMMMMMMMMMMMMMM" // D0
          + "MMMMMMMMMMMMMMMM" // E0
          + "MMMMMMMMMMMMMMMM"; // F0

  /**
   * Defined opcodes of the legacy-encoded 0F38 map (all take ModRM, no immediate): SSSE3,
   * SSE4.1/4.2, INVEPT/INVVPID/INVPCID, SHA, GFNI, AES-NI, MOVBE, CRC32, ADCX/ADOX, WRSS/WRUSS,
   * MOVDIRI/MOVDIR64B, ENQCMD.
   */
  private static final int[][] MAP_0F38_DEFINED = {
    {0x00, 0x0b}, {0x10, 0x10}, {0x14, 0x15}, {0x17, 0x17}, {0x1c, 0x1e}, {0x20, 0x25},
    {0x28, 0x2b}, {0x30, 0x35}, {0x37, 0x41}, {0x80, 0x82}, {0xc8, 0xcd}, {0xcf, 0xcf},
    {0xdb, 0xdf}, {0xf0, 0xf1}, {0xf5, 0xf6}, {0xf8, 0xf9}
  };

  /** Defined opcodes of the legacy-encoded 0F3A map (all take ModRM and imm8). */
  private static final int[][] MAP_0F3A_DEFINED = {
    {0x08, 0x0f}, {0x14, 0x17}, {0x20, 0x22}, {0x40, 0x42}, {0x44, 0x44}, {0x60, 0x63},
    {0xcc, 0xcc}, {0xce, 0xcf}, {0xdf, 0xdf}
  };

  static boolean defined0F38(int op) {
    return inRanges(MAP_0F38_DEFINED, op);
  }

  static boolean defined0F3A(int op) {
    return inRanges(MAP_0F3A_DEFINED, op);
  }

  /** VEX/EVEX map 0F opcodes that carry an imm8 (shifts by immediate, shuffles, compares). */
  static boolean vexMap1HasImm8(int op) {
    return op >= 0x70 && op <= 0x73 || op == 0xc2 || op >= 0xc4 && op <= 0xc6;
  }

  private static boolean inRanges(int[][] ranges, int op) {
    for (int[] r : ranges) {
      if (op >= r[0] && op <= r[1]) {
        return true;
      }
    }
    return false;
  }
}
