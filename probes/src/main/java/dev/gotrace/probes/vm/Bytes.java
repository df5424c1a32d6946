package dev.gotrace.probes.vm;

/** Little-endian conversions between longs and byte arrays. */
final class Bytes {
  private Bytes() {}

  /** The low {@code n} bytes of {@code v}, little-endian. */
  static byte[] le(long v, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  /** The zero-extended little-endian value of {@code n} bytes of {@code b} from {@code at}. */
  static long get(byte[] b, int at, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xffL);
    }
    return v;
  }

  /** Writes the low {@code n} bytes of {@code v} at {@code at}, little-endian. */
  static void put(byte[] b, int at, int n, long v) {
    for (int i = 0; i < n; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
