package dev.gotrace.core.agg;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, counted in power-of-two buckets: bucket 0 holds [0, 2), bucket
 * {@code i > 0} holds [2^i, 2^(i+1)). Count, sum, minimum and maximum are exact (min 0 when
 * empty); percentiles are estimated from the buckets: linear within the bucket holding the rank,
 * narrowed to [min, max].
 */
public record Log2Histogram(long[] buckets, long count, long sum, long min, long max) {
  public static final int BUCKETS = 64;
  /** No calls (shared by every function without any, so a snapshot of thousands costs no buckets). */
  public static final Log2Histogram EMPTY = new Log2Histogram(new long[BUCKETS], 0, 0, 0, 0);

  public Log2Histogram {
    if (buckets.length != BUCKETS) {
      throw new IllegalArgumentException("need " + BUCKETS + " buckets, got " + buckets.length);
    }
    buckets = buckets.clone();
  }

  /** A histogram of the given values (tests, user-space aggregation). */
  public static Log2Histogram of(long... values) {
    long[] b = new long[BUCKETS];
    long sum = 0;
    long max = 0;
    long min = values.length == 0 ? 0 : Long.MAX_VALUE;
    for (long v : values) {
      b[bucket(v)]++;
      sum += v;
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    return new Log2Histogram(b, values.length, sum, min, max);
  }

  /**
   * Both histograms' calls in one (two functions of one name, two processes of one binary): counts,
   * sums and buckets added, min and max of both.
   */
  public Log2Histogram plus(Log2Histogram o) {
    if (o.count == 0) {
      return this;
    }
    if (count == 0) {
      return o;
    }
    long[] b = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      b[i] = buckets[i] + o.buckets[i];
    }
    return new Log2Histogram(b, count + o.count, sum + o.sum, Math.min(min, o.min), Math.max(max, o.max));
  }

  /** The bucket of {@code ns}: floor(log2 ns), 0 for 0 and 1 (as the kernel program computes it). */
  public static int bucket(long ns) {
    return ns <= 1 ? 0 : 63 - Long.numberOfLeadingZeros(ns);
  }

  /** Lower bound (inclusive) of bucket {@code i}. */
  public static long lower(int i) {
    return i == 0 ? 0 : 1L << i;
  }

  /** Upper bound (exclusive) of bucket {@code i}; Long.MAX_VALUE for the last. */
  public static long upper(int i) {
    return i >= 62 ? Long.MAX_VALUE : 1L << (i + 1);
  }

  @Override
  public long[] buckets() {
    return buckets.clone();
  }

  public long bucketCount(int i) {
    return buckets[i];
  }

  /** Mean in ns, 0 when empty. */
  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /**
   * Estimated {@code q}-quantile in ns (0 &lt; q &lt;= 1): the value of rank ceil(q * n), placed
   * linearly inside its bucket and capped at the exact maximum. 0 when empty.
   */
  public double percentile(double q) {
    if (q <= 0 || q > 1) {
      throw new IllegalArgumentException("quantile must be in (0, 1]: " + q);
    }
    long n = Arrays.stream(buckets).sum();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long before = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long c = buckets[i];
      if (c > 0 && before + c >= rank) {
        double lo = Math.max(lower(i), min);
        double hi = Math.min((double) upper(i), (double) max);
        double v = lo + (hi - lo) * (rank - before) / c;
        return Math.max(min, Math.min(v, max));
      }
      before += c;
    }
    return max;
  }

  /** Index of the first non-empty bucket, -1 when empty. */
  public int firstBucket() {
    for (int i = 0; i < BUCKETS; i++) {
      if (buckets[i] > 0) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the last non-empty bucket, -1 when empty. */
  public int lastBucket() {
    for (int i = BUCKETS - 1; i >= 0; i--) {
      if (buckets[i] > 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Log2Histogram h && Arrays.equals(buckets, h.buckets) && count == h.count
        && sum == h.sum && min == h.min && max == h.max;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(buckets) * 31 + Long.hashCode(count);
  }

  @Override
  public String toString() {
    return "Log2Histogram[count=" + count + ", sum=" + sum + ", min=" + min + ", max=" + max + "]";
  }
}
