package dev.gotrace.goelf.x86;

import java.util.BitSet;

/**
 * Defined VEX-encoded opcodes per opcode map and implied prefix (VEX.pp), transcribed from the
 * Intel SDM Vol. 2 instruction pages and opcode tables A-3 to A-5 (AVX, AVX2, FMA, F16C, BMI1,
 * BMI2, VAES/VPCLMULQDQ, GFNI, AVX-VNNI, AVX-512 mask instructions). VEX.vvvv, VEX.L and VEX.W
 * restrictions are not checked: they do not change the length.
 */
final class VexOpcodes {
  private VexOpcodes() {}

  private static final int NP = 0;
  private static final int P66 = 1;
  private static final int PF3 = 2;
  private static final int PF2 = 3;

  /** [map 1..3][pp] -> opcodes. */
  private static final BitSet[][] DEFINED = new BitSet[4][4];

  static {
    for (int m = 1; m <= 3; m++) {
      for (int p = 0; p < 4; p++) {
        DEFINED[m][p] = new BitSet(256);
      }
    }
    // map 0F
    add(1, NP, "10-17 28-29 2B 2E-2F 41-42 44-47 4A-4B 50-51 52-53 54-59 5A-5B 5C-5F 77 90-93 98-99"
        + " AE C2 C6");
    add(1, P66, "10-17 28-29 2B 2E-2F 41-42 44-47 4A-4B 50-51 54-59 5A-5B 5C-5F 60-6F 70-76 7C-7F"
        + " 90-93 98-99 C2 C4-C6 D0-FF");
    add(1, PF3, "10-12 16 2A 2C-2D 51-53 58-5B 5C-5F 6F 70 7E-7F C2 E6");
    add(1, PF2, "10-12 2A 2C-2D 51 58-59 5A 5C-5F 70 7C-7D 92-93 C2 D0 E6 F0");
    // map 0F38
    add(2, P66, "00-0F 13 16-1A 1C-1E 20-25 28-2F 30-37 38-41 45-47 50-53 58-5A 78-79 8C 8E 90-93"
        + " 96-9F A6-AF B6-BF CF DB-DF F7");
    add(2, NP, "F2-F3 F5 F7");
    add(2, PF3, "F5 F7");
    add(2, PF2, "F5-F7");
    // map 0F3A
    add(3, P66, "00-02 04-06 08-0F 14-19 1D 20-22 30-33 38-39 40-42 44 46 48-4C 60-63 CE-CF DF");
    add(3, PF2, "F0");
  }

  private static void add(int map, int pp, String ranges) {
    for (String r : ranges.trim().split(" +")) {
      int dash = r.indexOf('-');
      int lo = Integer.parseInt(dash < 0 ? r : r.substring(0, dash), 16);
      int hi = Integer.parseInt(dash < 0 ? r : r.substring(dash + 1), 16);
      DEFINED[map][pp].set(lo, hi + 1);
    }
  }

  /** Whether VEX map {@code map} (1 = 0F, 2 = 0F38, 3 = 0F3A) defines {@code opcode} under {@code pp}. */
  static boolean defined(int map, int pp, int opcode) {
    return map >= 1 && map <= 3 && DEFINED[map][pp & 3].get(opcode);
  }
}
