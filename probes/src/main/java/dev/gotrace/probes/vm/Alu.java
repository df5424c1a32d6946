package dev.gotrace.probes.vm;

/**
 * The arithmetic of the ALU and ALU64 classes (RFC 9669 section 4.1): 32-bit results are
 * zero-extended into the 64-bit register; unsigned division by 0 gives 0 and modulo by 0 leaves
 * the dividend; shift amounts are masked to the operand's width; {@code off} 1 makes division
 * signed and {@code off} 8/16/32 makes a move sign-extending.
 */
final class Alu {
  private Alu() {}

  /** {@code dst op src} in 64 bits. */
  static long alu64(int code, long dst, long src, int off) {
    return switch (code) {
      case 0x00 -> dst + src;
      case 0x10 -> dst - src;
      case 0x20 -> dst * src;
      case 0x30 -> src == 0 ? 0 : off == 1 ? dst / src : Long.divideUnsigned(dst, src);
      case 0x40 -> dst | src;
      case 0x50 -> dst & src;
      case 0x60 -> dst << (src & 63);
      case 0x70 -> dst >>> (src & 63);
      case 0x80 -> -dst;
      case 0x90 -> src == 0 ? dst : off == 1 ? dst % src : Long.remainderUnsigned(dst, src);
      case 0xa0 -> dst ^ src;
      case 0xb0 -> switch (off) {
        case 8 -> (byte) src;
        case 16 -> (short) src;
        case 32 -> (int) src;
        default -> src;
      };
      case 0xc0 -> dst >> (src & 63);
      default -> throw new IllegalArgumentException("ALU op 0x" + Integer.toHexString(code));
    };
  }

  /** {@code dst op src} in 32 bits, zero-extended. */
  static long alu32(int code, long dst64, long src64, int off) {
    int dst = (int) dst64;
    int src = (int) src64;
    int r = switch (code) {
      case 0x00 -> dst + src;
      case 0x10 -> dst - src;
      case 0x20 -> dst * src;
      case 0x30 -> src == 0 ? 0 : off == 1 ? dst / src : Integer.divideUnsigned(dst, src);
      case 0x40 -> dst | src;
      case 0x50 -> dst & src;
      case 0x60 -> dst << (src & 31);
      case 0x70 -> dst >>> (src & 31);
      case 0x80 -> -dst;
      case 0x90 -> src == 0 ? dst : off == 1 ? dst % src : Integer.remainderUnsigned(dst, src);
      case 0xa0 -> dst ^ src;
      case 0xb0 -> switch (off) {
        case 8 -> (byte) src;
        case 16 -> (short) src;
        default -> src;
      };
      case 0xc0 -> dst >> (src & 31);
      default -> throw new IllegalArgumentException("ALU op 0x" + Integer.toHexString(code));
    };
    return r & 0xffffffffL;
  }

  /**
   * The byte-order operation on {@code v}: {@code toBig} (BPF_TO_BE, the X bit of class ALU, or
   * the unconditional bswap of class ALU64) swaps the low {@code bits}, else (BPF_TO_LE on this
   * little-endian machine) it only truncates to them.
   */
  static long end(long v, int bits, boolean toBig) {
    if (!toBig) {
      return bits == 64 ? v : v & ((1L << bits) - 1);
    }
    return switch (bits) {
      case 16 -> Short.reverseBytes((short) v) & 0xffffL;
      case 32 -> Integer.reverseBytes((int) v) & 0xffffffffL;
      default -> Long.reverseBytes(v);
    };
  }

  /** Whether jump operation {@code code} is taken for {@code a op b}, 64-bit or 32-bit. */
  static boolean taken(int code, long a, long b, boolean narrow) {
    if (narrow) {
      int x = (int) a;
      int y = (int) b;
      return switch (code) {
        case 0x00 -> true;
        case 0x10 -> x == y;
        case 0x20 -> Integer.compareUnsigned(x, y) > 0;
        case 0x30 -> Integer.compareUnsigned(x, y) >= 0;
        case 0x40 -> (x & y) != 0;
        case 0x50 -> x != y;
        case 0x60 -> x > y;
        case 0x70 -> x >= y;
        case 0xa0 -> Integer.compareUnsigned(x, y) < 0;
        case 0xb0 -> Integer.compareUnsigned(x, y) <= 0;
        case 0xc0 -> x < y;
        case 0xd0 -> x <= y;
        default -> throw new IllegalArgumentException("jump op 0x" + Integer.toHexString(code));
      };
    }
    return switch (code) {
      case 0x00 -> true;
      case 0x10 -> a == b;
      case 0x20 -> Long.compareUnsigned(a, b) > 0;
      case 0x30 -> Long.compareUnsigned(a, b) >= 0;
      case 0x40 -> (a & b) != 0;
      case 0x50 -> a != b;
      case 0x60 -> a > b;
      case 0x70 -> a >= b;
      case 0xa0 -> Long.compareUnsigned(a, b) < 0;
      case 0xb0 -> Long.compareUnsigned(a, b) <= 0;
      case 0xc0 -> a < b;
      case 0xd0 -> a <= b;
      default -> throw new IllegalArgumentException("jump op 0x" + Integer.toHexString(code));
    };
  }
}
