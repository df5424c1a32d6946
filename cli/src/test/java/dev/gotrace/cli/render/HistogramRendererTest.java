package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.Log2Histogram;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramRendererTest {
  static final Log2Histogram SLEEPS = Log2Histogram.of(20_100_000, 20_150_000, 20_200_000, 20_250_000,
      20_300_000);
  /** 3 calls of 1 us, 1 of 3 us: buckets [512ns, 1.02us) x3 and [2.05us, 4.10us) x1. */
  static final Log2Histogram SMALL = Log2Histogram.of(1000, 1000, 1000, 3000);
  /** The functions' identities (probe entry addresses). */
  static final long SLEEP_FOR = 0x4b9e80, RECURSE = 0x4b0a60;

  @Test
  void durations() {
    assertEquals("950ns", HistogramRenderer.duration(950));
    assertEquals("1.50us", HistogramRenderer.duration(1500));
    assertEquals("20.3ms", HistogramRenderer.duration(20_300_000));
    assertEquals("168ms", HistogramRenderer.duration(167_900_000));
    assertEquals("2.00s", HistogramRenderer.duration(2e9));
    assertEquals("1000s", HistogramRenderer.duration(1e12));
    assertEquals("inf", HistogramRenderer.bound(Long.MAX_VALUE));
  }

  @Test
  void rowsSpanFirstToLastBucketWithScaledBars() {
    List<String> rows = HistogramRenderer.rows(SMALL);
    assertEquals(List.of(
        "  [512ns, 1.02us)  3 |" + "@".repeat(40) + "|",
        "  [1.02us, 2.05us) 0 |" + " ".repeat(40) + "|",
        "  [2.05us, 4.10us) 1 |" + "@".repeat(13) + " ".repeat(27) + "|"), rows);
    assertEquals(List.of(), HistogramRenderer.rows(Log2Histogram.of()));
  }

  @Test
  void textTable() {
    StringWriter s = new StringWriter();
    HistogramRenderer.text(new PrintWriter(s)).table(List.of(new FunctionLatency("main.sleepFor", SLEEP_FOR, SLEEPS, 1, 2, 3)),
        1.25, true);
    assertEquals(String.join("\n",
        "Latency after 1.3 s (percentiles estimated from log2 buckets; count, mean and max exact)",
        "",
        "main.sleepFor  count 5  mean 20.2ms  p50 ~20.2ms  p90 ~20.3ms  p99 ~20.3ms  max 20.3ms",
        "  not in the numbers: 1 exits without their entry, 2 entries never exited, 3 in flight",
        "  [16.8ms, 33.6ms) 5 |" + "@".repeat(40) + "|",
        ""), s.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void jsonTable() {
    StringWriter s = new StringWriter();
    HistogramRenderer.json(new PrintWriter(s)).table(List.of(new FunctionLatency("main.sleepFor", SLEEP_FOR, SLEEPS, 0, 0, 0)),
        2, true);
    String line = s.toString();
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
    assertTrue(line.startsWith("{\"type\":\"latency\",\"seconds\":2.0,\"percentiles_exact\":false,"
        + "\"not_shown\":{\"without_calls\":0,\"beyond_top\":0},\"functions\":"
        + "[{\"function\":\"main.sleepFor\",\"count\":5,\"sum_ns\":101000000,\"mean_ns\":20200000,"
        + "\"p50_ns\":20220000,"), line);
    assertTrue(line.contains("\"max_ns\":20300000,\"unmatched_exits\":0,\"never_exited\":0,\"in_flight\":0,"
        + "\"buckets\":[{\"lo_ns\":16777216,\"hi_ns\":33554432,\"count\":5}]}]}"), line);
  }

  @Test
  void exactPercentilesByNearestRank() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = (i + 1) * 1000L;
    }
    assertEquals(50_000, HistogramRenderer.exactPercentile(v, 0.5));
    assertEquals(90_000, HistogramRenderer.exactPercentile(v, 0.9));
    assertEquals(99_000, HistogramRenderer.exactPercentile(v, 0.99));
    assertEquals(7, HistogramRenderer.exactPercentile(new long[] {7}, 0.99));
    assertEquals(0, HistogramRenderer.exactPercentile(new long[0], 0.5));
    StringWriter s = new StringWriter();
    HistogramRenderer.text(new PrintWriter(s)).table(List.of(new FunctionLatency("main.sleepFor", SLEEP_FOR, SLEEPS, 0, 0, 0)),
        1, true, java.util.Map.of(SLEEP_FOR, new long[] {20_100_000, 20_150_000, 20_200_000, 20_250_000,
            20_300_000}));
    assertTrue(s.toString().contains("  exact over 5 streamed calls: p50 20.2ms  p90 20.3ms  p99 20.3ms"), s.toString());
  }

  @Test
  void streamedCallLine() {
    StringWriter s = new StringWriter();
    LatencyCallRenderer.text(new PrintWriter(s), java.time.ZoneId.of("UTC"), 13).call(
        new dev.gotrace.core.decode.Event.Completed(1_700_000_000_123_456_789L, 4242, 1, "main.sleepFor", SLEEP_FOR, 20_300_000,
            0x4b9f00), "/src/workload/main.go:378");
    assertEquals("22:13:20.123456    4242      1  main.sleepFor    20.3ms  at /src/workload/main.go:378\n",
        s.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void siteRows() {
    StringWriter s = new StringWriter();
    HistogramRenderer.text(new PrintWriter(s)).table(List.of(new FunctionLatency("main.recurse", RECURSE, SMALL, 0, 0, 0)), 1,
        true, java.util.Map.of(), java.util.Map.of(RECURSE, List.of(
            new HistogramRenderer.SiteRow("main.go:134 0x4b0b3d", "RET", 1, 3000),
            new HistogramRenderer.SiteRow("main.go:136 0x4b0b76", "RET", 3, 1000))));
    assertTrue(s.toString().contains("  exit main.go:134 0x4b0b3d (RET)  count 1  mean 3.00us\n"
        + "  exit main.go:136 0x4b0b76 (RET)  count 3  mean 1.00us\n"), s.toString());
    StringWriter j = new StringWriter();
    HistogramRenderer.json(new PrintWriter(j)).table(List.of(new FunctionLatency("main.recurse", RECURSE, SMALL, 0, 0, 0)), 1,
        true, java.util.Map.of(), java.util.Map.of(RECURSE, List.of(
            new HistogramRenderer.SiteRow("main.go:134 0x4b0b3d", "RET", 1, 3000))));
    assertTrue(j.toString().contains("\"exits\":[{\"at\":\"main.go:134 0x4b0b3d\",\"kind\":\"RET\",\"count\":1,"
        + "\"mean_ns\":3000}]"), j.toString());
  }

  @Test
  void twoFunctionsOfOneNameStayApart() {
    long other = 0x4c0000;
    StringWriter s = new StringWriter();
    HistogramRenderer.text(new PrintWriter(s)).table(List.of(new FunctionLatency("main.recurse", RECURSE, SMALL, 0, 0, 0),
        new FunctionLatency("main.recurse", other, SMALL, 0, 0, 0)), 1, true,
        java.util.Map.of(other, new long[] {1000, 2000}),
        java.util.Map.of(RECURSE, List.of(new HistogramRenderer.SiteRow("main.go:134 0x4b0b3d", "RET", 4, 2000)),
            other, List.of(new HistogramRenderer.SiteRow("other.go:9 0x4c0040", "RET", 2, 1500))));
    String[] blocks = s.toString().replace(System.lineSeparator(), "\n").split("\n\n");
    assertEquals(3, blocks.length, s.toString());
    assertTrue(blocks[1].contains("exit main.go:134") && !blocks[1].contains("other.go") && !blocks[1].contains("exact"),
        blocks[1]);
    assertTrue(blocks[2].contains("exit other.go:9") && !blocks[2].contains("main.go:134")
        && blocks[2].contains("exact over 2 streamed calls"), blocks[2]);
  }
}
