package dev.gotrace.goelf.x86;

/**
 * Which x87 escape encodings (D8-DF) are defined, from Intel SDM Vol. 2 appendix A.5 (tables
 * Memory forms are keyed by ModRM.reg; register forms by the whole ModRM byte
 * C0-FF. Aliases that Intel leaves blank (FSTP1, FCOM2, FFREEP...) count as undefined.
 */
final class X87 {
  private X87() {}

  /** Undefined ModRM.reg values of the memory forms, as a bit set per escape byte D8..DF. */
  private static final int[] UNDEFINED_MEMORY_REG = {
    0, // D8
    1 << 1, // D9 /1
    0, // DA
    1 << 4 | 1 << 6, // DB /4 /6
    0, // DC
    1 << 5, // DD /5
    0, // DE
    0 // DF
  };

  /** Defined register forms per escape byte, as ranges of the second byte (inclusive). */
  private static final int[][][] DEFINED_REGISTER = {
    {{0xc0, 0xff}}, // D8: FADD..FDIVR ST(0), ST(i)
    {{0xc0, 0xd0}, {0xe0, 0xe1}, {0xe4, 0xe5}, {0xe8, 0xee}, {0xf0, 0xff}}, // D9
    {{0xc0, 0xdf}, {0xe9, 0xe9}}, // DA: FCMOVcc, FUCOMPP
    {{0xc0, 0xdf}, {0xe2, 0xe3}, {0xe8, 0xf7}}, // DB: FCMOVNcc, FNCLEX, FNINIT, FUCOMI, FCOMI
    {{0xc0, 0xcf}, {0xe0, 0xff}}, // DC
    {{0xc0, 0xc7}, {0xd0, 0xef}}, // DD: FFREE, FST, FSTP, FUCOM, FUCOMP
    {{0xc0, 0xcf}, {0xd9, 0xd9}, {0xe0, 0xff}}, // DE
    {{0xe0, 0xe0}, {0xe8, 0xf7}} // DF: FNSTSW AX, FUCOMIP, FCOMIP
  };

  /** Whether escape {@code op} (D8..DF) with ModRM byte {@code modrm} is defined. */
  static boolean defined(int op, int modrm) {
    int esc = op - 0xd8;
    if (modrm < 0xc0) {
      return (UNDEFINED_MEMORY_REG[esc] & 1 << ((modrm >> 3) & 7)) == 0;
    }
    for (int[] r : DEFINED_REGISTER[esc]) {
      if (modrm >= r[0] && modrm <= r[1]) {
        return true;
      }
    }
    return false;
  }
}
