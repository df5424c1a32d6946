package dev.gotrace.core.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Log2HistogramTest {
  @Test
  void bucketsArePowersOfTwo() {
    assertEquals(0, Log2Histogram.bucket(0));
    assertEquals(0, Log2Histogram.bucket(1));
    assertEquals(1, Log2Histogram.bucket(2));
    assertEquals(1, Log2Histogram.bucket(3));
    assertEquals(10, Log2Histogram.bucket(1024));
    assertEquals(10, Log2Histogram.bucket(2047));
    // 20 ms = 20,000,000 ns lies in [2^24, 2^25) = [16,777,216, 33,554,432)
    assertEquals(24, Log2Histogram.bucket(20_000_000));
    assertEquals(62, Log2Histogram.bucket(Long.MAX_VALUE));
    assertEquals(0, Log2Histogram.lower(0));
    assertEquals(2, Log2Histogram.upper(0));
    assertEquals(1L << 24, Log2Histogram.lower(24));
    assertEquals(1L << 25, Log2Histogram.upper(24));
  }

  @Test
  void exactTotalsAndEstimatedPercentiles() {
    // 90 calls of 1000 ns (bucket 9: [512, 1024)) and 10 of 1 ms (bucket 19: [524288, 1048576))
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = i < 90 ? 1000 : 1_000_000;
    }
    Log2Histogram h = Log2Histogram.of(v);
    assertEquals(100, h.count());
    assertEquals(90 * 1000 + 10 * 1_000_000, h.sum());
    assertEquals(1_000_000, h.max());
    assertEquals(h.sum() / 100.0, h.mean());
    assertEquals(9, h.firstBucket());
    assertEquals(19, h.lastBucket());
    assertEquals(1000, h.min());
    // p50: rank 50 of 90 in bucket 9 [512, 1024), narrowed to [min, 1024): 1000 + 24 * 50 / 90
    assertEquals(1000 + 24.0 * 50 / 90, h.percentile(0.5), 1e-9);
    // p90: rank 90, the last of bucket 9: its upper bound
    assertEquals(1024, h.percentile(0.9), 1e-9);
    // p99: rank 99 = 9th of 10 in [524288, 1048576), capped by the exact max 1,000,000
    double p99 = h.percentile(0.99);
    assertTrue(p99 >= 524288 && p99 <= 1_000_000, String.valueOf(p99));
    assertEquals(1_000_000, h.percentile(1.0), 1e-9);
  }

  @Test
  void emptyAndInvalid() {
    Log2Histogram h = Log2Histogram.of();
    assertEquals(0, h.percentile(0.5));
    assertEquals(0, h.mean());
    assertEquals(-1, h.firstBucket());
    assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(1.5));
    assertThrows(IllegalArgumentException.class, () -> new Log2Histogram(new long[3], 0, 0, 0, 0));
  }

  @Test
  void percentilesStayWithinMinAndMax() {
    // five sleeps of about 20 ms, all in [16.8 ms, 33.6 ms): the estimate lies in [min, max]
    Log2Histogram h = Log2Histogram.of(20_100_000, 20_150_000, 20_200_000, 20_250_000, 20_300_000);
    for (double q : new double[] {0.01, 0.5, 0.9, 0.99, 1}) {
      double p = h.percentile(q);
      assertTrue(p >= 20_100_000 && p <= 20_300_000, q + " -> " + p);
    }
    assertEquals(20_220_000, h.percentile(0.5), 1e-6);
  }

  @Test
  void singleValueIsNeverOverestimated() {
    Log2Histogram h = Log2Histogram.of(20_300_000);
    assertEquals(20_300_000, h.percentile(0.5), 1e-9);
    assertEquals(20_300_000, h.percentile(0.99), 1e-9);
  }
}
