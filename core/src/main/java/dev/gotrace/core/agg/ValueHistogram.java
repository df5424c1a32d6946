package dev.gotrace.core.agg;

import dev.gotrace.core.query.HistQuery;
import dev.gotrace.core.query.KeyValue;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the kernel counted of a {@code --hist} value for one (function, key), or for the calls of a
 * function whose key found the key table full ({@link #other}).
 *
 * <p>Buckets, {@link #BUCKETS} of them, index 64 in the middle: an integer v is in bucket
 * {@code 64 + bitlen(v)} when v &ge; 0 (64 holds only 0; 64 + k holds [2^(k-1), 2^k)) and in
 * {@code 64 - bitlen(|v|)} when v &lt; 0 (64 - k holds [-(2^k - 1), -2^(k-1)]). A float x with
 * |x| in [2^e, 2^(e+1)) is in {@code 64 ± (e + 32)}, the sign of x choosing, e + 32 clamped to 1..64
 * (the infinities are in 0 and 128), and in 64 when |x| &lt; 2^-31 (zeros and subnormals). NaNs
 * and unreadable values are counted apart.
 *
 * @param function the function's Go name
 * @param key the {@code --by} values, in order; empty without {@code --by} and for {@code (other)}
 * @param other the calls past the key cap, counted without their key
 * @param kind what the value is
 * @param count values counted in buckets
 * @param sum their sum (integers, wrapping as Go's int64 does; 0 for floats: BPF has no floats)
 * @param min the smallest, as the Go value's text ("" without values)
 * @param max the largest, likewise
 * @param nan NaNs seen (floats)
 * @param unreadable calls whose value could not be read (a nil pointer on its path, a fault)
 * @param buckets the counts per bucket
 */
public record ValueHistogram(String function, List<KeyValue> key, boolean other, HistQuery.Kind kind, long count,
    long sum, String min, String max, long nan, long unreadable, long[] buckets) {
  public static final int BUCKETS = 129, ZERO = 64;

  /** The order of rows: by function (or line site), then key part by part, (other) last. */
  public static final Comparator<ValueHistogram> ORDER = (a, b) -> {
    int c = a.function.compareTo(b.function);
    if (c != 0 || a.other != b.other) {
      return c != 0 ? c : Boolean.compare(a.other, b.other);
    }
    for (int i = 0; i < Math.min(a.key.size(), b.key.size()); i++) {
      c = KeyedLatency.compare(a.key.get(i), b.key.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.key.size(), b.key.size());
  };

  public ValueHistogram {
    key = List.copyOf(key);
    buckets = buckets.clone();
    if (buckets.length != BUCKETS) {
      throw new IllegalArgumentException(buckets.length + " buckets");
    }
  }

  /** The kernel's slots {count, sum, max key, ~min key, nan, unreadable, buckets…} decoded. */
  public static ValueHistogram of(String function, List<KeyValue> key, boolean other, HistQuery.Kind kind,
      long[] slots, int firstBucket) {
    long[] b = Arrays.copyOfRange(slots, firstBucket, firstBucket + BUCKETS);
    long count = slots[0];
    String min = count == 0 ? "" : value(kind, ~slots[3]);
    String max = count == 0 ? "" : value(kind, slots[2]);
    boolean floats = kind == HistQuery.Kind.FLOAT32 || kind == HistQuery.Kind.FLOAT64;
    return new ValueHistogram(function, key, other, kind, count, floats ? 0 : slots[1], min, max, slots[4], slots[5], b);
  }

  /** The bucket of integer {@code v} ({@code unsigned}: v's 64 bits are a uint64). */
  public static int bucketOf(long v, boolean unsigned) {
    if (unsigned || v >= 0) {
      return ZERO + (64 - Long.numberOfLeadingZeros(v));
    }
    return ZERO - (64 - Long.numberOfLeadingZeros(-v));
  }

  /** The bucket of float {@code x}, or -1 for a NaN. */
  public static int bucketOf(double x) {
    if (Double.isNaN(x)) {
      return -1;
    }
    int k;
    if (Double.isInfinite(x)) {
      k = 64;
    } else if (Math.abs(x) < 0x1p-31) {
      k = 0;
    } else {
      k = Math.max(1, Math.min(64, Math.getExponent(x) + 32));
    }
    return x < 0 || (x == 0 && 1 / x < 0) ? ZERO - k : ZERO + k;
  }

  /** Bucket {@code i}'s range as text: "0", "[4, 8)", "[-7, -4]", "[2^-3, 2^-2)". */
  public static String label(HistQuery.Kind kind, int i) {
    int k = Math.abs(i - ZERO);
    boolean neg = i < ZERO;
    if (kind == HistQuery.Kind.SIGNED || kind == HistQuery.Kind.UNSIGNED) {
      if (k == 0) {
        return "0";
      }
      BigInteger lo = BigInteger.ONE.shiftLeft(k - 1);
      BigInteger hi = BigInteger.ONE.shiftLeft(k);
      return neg ? "[-" + hi.subtract(BigInteger.ONE) + ", -" + lo + "]" : "[" + lo + ", " + hi + ")";
    }
    if (k == 0) {
      return "(-2^-31, 2^-31)";
    }
    String lo = pow(k - 32);
    String hi = k == 64 ? "+Inf" : pow(k - 31);
    return neg ? (k == 64 ? "[-Inf" : "(-" + hi) + ", -" + lo + "]" : "[" + lo + ", " + hi + (k == 64 ? "]" : ")");
  }

  private static String pow(int e) {
    return e >= 0 && e < 63 ? Long.toString(1L << e) : "2^" + e;
  }

  /** The Go value whose order key is {@code key}. */
  static String value(HistQuery.Kind kind, long key) {
    return switch (kind) {
      case SIGNED -> Long.toString(key ^ Long.MIN_VALUE);
      case UNSIGNED -> Long.toUnsignedString(key);
      case FLOAT64 -> {
        long bits = key < 0 ? key & Long.MAX_VALUE : ~key;
        yield Double.toString(Double.longBitsToDouble(bits));
      }
      case FLOAT32 -> {
        long k = key & 0xffffffffL;
        int bits = (k & 0x80000000L) != 0 ? (int) (k & 0x7fffffffL) : (int) (~k & 0xffffffffL);
        yield Float.toString(Float.intBitsToFloat(bits));
      }
    };
  }

  /** The mean of integer values, NaN for floats or without values. */
  public double mean() {
    boolean floats = kind == HistQuery.Kind.FLOAT32 || kind == HistQuery.Kind.FLOAT64;
    return floats || count == 0 ? Double.NaN : (double) sum / count;
  }
}
