package dev.gotrace.core.query;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/** Random recorded calls of {@link Synthetic}'s function: edge values, garbage in unused register bits, nil and unmapped pointers. */
final class RandomCalls {
  static final List<String> STRINGS = List.of("", "a", "ab", "abc", "b", "GET", "GETX", "POST", "/api", "/api/v1",
      "x.html", "/index.html", "héllo", "a".repeat(130), "a".repeat(64), "a".repeat(65), "zz", "\u0000", "\u00ff");
  static final long UNMAPPED = 0xdead_0000L;

  private final Random rnd;

  RandomCalls(long seed) {
    this.rnd = new Random(seed);
  }

  Recorded next() {
    Recorded c = new Recorded();
    // the registers hold garbage first: narrower values must be masked
    for (String r : List.of("rax", "rbx", "rcx", "rdi", "rsi", "r8", "r9", "r10", "r11")) {
      int at = ((dev.gotrace.core.abi.ArgLocation.InRegister) Synthetic.rg(r)).register().ptRegsOffset();
      ByteBuffer.wrap(c.regs).order(ByteOrder.LITTLE_ENDIAN).putLong(at, rnd.nextLong());
    }
    c.put(Synthetic.param("a"), Recorded.le(integer(8, true), 8));
    c.put(Synthetic.param("b"), Recorded.le(integer(4, true), 4));
    c.put(Synthetic.param("c"), Recorded.le(integer(1, false), 1));
    c.put(Synthetic.param("d"), new byte[] {(byte) rnd.nextInt(2)});
    c.put(Synthetic.param("s"), string(c));
    c.put(Synthetic.param("p"), Recorded.le(pointer(c, 3), 8));
    c.put(Synthetic.param("e"), Recorded.concat(Recorded.le(rnd.nextInt(3) == 0 ? 0 : 0x4a0000 + rnd.nextInt(99), 8),
        Recorded.le(rnd.nextLong(), 8)));
    c.put(Synthetic.param("f"), Recorded.le(double64(), 8));
    c.put(Synthetic.param("g"), Recorded.le(float32(), 4));
    c.put(Synthetic.param("u"), Recorded.le(integer(8, false), 8));
    c.put(Synthetic.param("t"), string(c));
    c.put(Synthetic.param("xs"), slice(c));
    c.put(Synthetic.param("q"), Recorded.le(pointer(c, 3), 8));
    c.put(Synthetic.param("h"), Recorded.le(integer(2, true), 2));
    c.put(Synthetic.param("k"), Recorded.le(integer(1, true), 1));
    c.put(Synthetic.param("w"), Recorded.le(integer(4, false), 4));
    c.put(Synthetic.param("r0"), Recorded.le(integer(8, true), 8));
    c.put(Synthetic.param("r1"), string(c));
    c.put(Synthetic.param("r2"), Recorded.concat(Recorded.le(rnd.nextBoolean() ? 0 : 0x4b0000, 8), Recorded.le(0, 8)));
    c.put(Synthetic.param("r3"), new byte[] {(byte) rnd.nextInt(2)});
    return c;
  }

  long integer(int size, boolean signed) {
    long[] edges = {0, 1, -1, 2, 3, 7, 200, 255, 256, 2019, 2020, 2021, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << (8 * Math.min(size, 7) - 1), -(1L << (8 * Math.min(size, 7) - 1))};
    long v = rnd.nextInt(3) == 0 ? rnd.nextLong() : edges[rnd.nextInt(edges.length)];
    return v;
  }

  long double64() {
    double[] edges = {0.0, -0.0, 1.5, -1.5, 2.5, 2021, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        1e300, -1e300, Double.MIN_VALUE, -Double.MIN_VALUE, 3, -3};
    if (rnd.nextInt(10) == 0) {
      return 0x7ff0000000000000L | (rnd.nextLong() & 0x000fffffffffffffL) | 1 | (rnd.nextBoolean() ? Long.MIN_VALUE : 0);
    }
    return Double.doubleToRawLongBits(rnd.nextInt(4) == 0 ? rnd.nextGaussian() * 100 : edges[rnd.nextInt(edges.length)]);
  }

  long float32() {
    float[] edges = {0f, -0f, 1.5f, -1.5f, 2.5f, 2021f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        3e38f, -3e38f, Float.MIN_VALUE, 3, -3};
    return Float.floatToRawIntBits(rnd.nextInt(4) == 0 ? (float) (rnd.nextGaussian() * 100)
        : edges[rnd.nextInt(edges.length)]) & 0xffffffffL;
  }

  byte[] string(Recorded c) {
    int kind = rnd.nextInt(20);
    if (kind == 0) {
      return Recorded.concat(Recorded.le(0, 8), Recorded.le(0, 8));
    }
    if (kind == 1) {
      return Recorded.concat(Recorded.le(UNMAPPED, 8), Recorded.le(3, 8));
    }
    String s = STRINGS.get(rnd.nextInt(STRINGS.size()));
    if (kind == 2) { // a length past the bytes there
      byte[] h = c.string(s);
      return Recorded.concat(java.util.Arrays.copyOf(h, 8), Recorded.le(s.length() + 1 + rnd.nextInt(200), 8));
    }
    return c.string(s);
  }

  byte[] slice(Recorded c) {
    if (rnd.nextInt(4) == 0) {
      return new byte[24];
    }
    int n = rnd.nextInt(5);
    long at = c.alloc(new byte[8 * n + 8]);
    return Recorded.concat(Recorded.le(at, 8), Recorded.le(n, 8), Recorded.le(n + rnd.nextInt(3), 8));
  }

  /** A *T: nil, unmapped, or a T in memory whose Next is another such pointer. */
  long pointer(Recorded c, int depth) {
    int kind = rnd.nextInt(6);
    if (kind == 0 || depth == 0) {
      return 0;
    }
    if (kind == 1) {
      return UNMAPPED;
    }
    ByteBuffer t = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    t.putInt(0, (int) integer(4, true));
    t.putLong(8, integer(8, true));
    t.put(16, string(c));
    t.putLong(32, double64());
    t.putLong(40, pointer(c, depth - 1));
    t.put(48, (byte) rnd.nextInt(2));
    t.putShort(50, (short) integer(2, false));
    t.put(52, (byte) integer(1, true));
    t.putInt(56, (int) integer(4, false));
    return c.alloc(t.array());
  }
}
