package dev.gotrace.export.otlp;

import static dev.gotrace.testdata.OtlpReceiver.attributes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.metrics.MetricLabels;
import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.SnapshotExchange;
import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.testdata.OtlpReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link OtlpPush} against an OTLP/HTTP endpoint on loopback that decodes what arrives with the
 * OTLP project's protobuf classes: the names, types and units Prometheus' OTLP translation turns
 * into the contract's names, the classic buckets, the attributes and resource, the schedule and
 * the final push, and how a failing endpoint is reported.
 */
class OtlpPushTest {
  private static final TargetInfo TARGET = TargetInfo.of(Path.of("/srv/bin/server"), "go1.27.0", 4242);

  /** 100 ns, 1000 ns, exactly 2^20 ns, 2^40 ns (above the last bound). */
  private static final Log2Histogram H = Log2Histogram.of(100, 1000, 1L << 20, 1L << 40);

  @Test
  void aSnapshotArrivesWithPrometheusTranslatableNamesAndExactClassicBuckets() throws Exception {
    MetricsSnapshot s = new MetricsSnapshot(TARGET, List.of(),
        List.of(new MetricsSnapshot.Calls("main.handler", 4)),
        List.of(new MetricsSnapshot.Timing("main.handler", List.of(), false, H)),
        List.of(new MetricsSnapshot.State("main.handler", 2, 3, 1)), List.of(), 7);
    ResourceMetrics rm = pushOnce(s, false);
    Map<String, Metric> m = byName(rm);
    assertEquals(List.of("gotrace_calls", "gotrace_call_duration", "gotrace_calls_in_flight",
        "gotrace_unmatched_exits", "gotrace_never_exited", "gotrace_dropped_records"), List.copyOf(m.keySet()));

    // counters: cumulative monotonic sums without a unit: Prometheus adds _total
    for (String c : List.of("gotrace_calls", "gotrace_unmatched_exits", "gotrace_never_exited", "gotrace_dropped_records")) {
      Metric metric = m.get(c);
      assertTrue(metric.hasSum(), c);
      assertTrue(metric.getSum().getIsMonotonic(), c);
      assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, metric.getSum().getAggregationTemporality());
      assertEquals("", metric.getUnit(), c);
    }
    assertEquals(4, only(m.get("gotrace_calls").getSum().getDataPointsList()).getAsInt());
    assertEquals(3, only(m.get("gotrace_unmatched_exits").getSum().getDataPointsList()).getAsInt());
    assertEquals(1, only(m.get("gotrace_never_exited").getSum().getDataPointsList()).getAsInt());
    assertEquals(7, only(m.get("gotrace_dropped_records").getSum().getDataPointsList()).getAsInt());
    assertEquals(Map.of("binary", "server", "go_version", "go1.27.0"),
        attributes(only(m.get("gotrace_dropped_records").getSum().getDataPointsList()).getAttributesList()));
    // in flight: a gauge
    assertTrue(m.get("gotrace_calls_in_flight").hasGauge());
    assertEquals(2, only(m.get("gotrace_calls_in_flight").getGauge().getDataPointsList()).getAsInt());

    // the histogram: unit s (Prometheus adds _seconds), bounds 2^9 .. 2^35 ns in seconds
    Metric d = m.get("gotrace_call_duration");
    assertEquals("s", d.getUnit());
    assertTrue(d.hasHistogram());
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, d.getHistogram().getAggregationTemporality());
    HistogramDataPoint p = d.getHistogram().getDataPoints(0);
    List<Double> bounds = new ArrayList<>();
    for (int k = 9; k <= 35; k++) {
      bounds.add(Math.scalb(1.0, k) / 1e9);
    }
    assertEquals(bounds, p.getExplicitBoundsList());
    assertEquals(4, p.getCount());
    assertEquals((100 + 1000 + (1L << 20) + (1L << 40)) / 1e9, p.getSum(), 1e-12);
    assertEquals(100e-9, p.getMin(), 1e-15);
    assertEquals((1L << 40) / 1e9, p.getMax(), 1e-9);
    List<Long> counts = new ArrayList<>(Collections.nCopies(28, 0L));
    counts.set(0, 1L); // 100 ns < 512 ns
    counts.set(1, 1L); // 1000 ns in (512, 1024] ns
    counts.set(12, 1L); // exactly 2^20 ns: the kernel's bucket [2^20, 2^21), so le=2^21 ns
    counts.set(27, 1L); // 2^40 ns: above 2^35 ns, +Inf
    assertEquals(counts, p.getBucketCountsList());
    assertEquals(Map.of("function", "main.handler", "binary", "server", "go_version", "go1.27.0"),
        attributes(p.getAttributesList()));

    // the resource: host, binary as the service, executable, pid, Go
    Map<String, String> res = attributes(rm.getResource().getAttributesList());
    assertEquals("server", res.get("service.name"));
    assertEquals("server", res.get("process.executable.name"));
    assertEquals("/srv/bin/server", res.get("process.executable.path"));
    assertEquals("4242", res.get("process.pid"));
    assertEquals("go", res.get("process.runtime.name"));
    assertEquals("go1.27.0", res.get("process.runtime.version"));
    assertFalse(res.get("host.name").isBlank());
    assertEquals(res.get("host.name") + "/4242", res.get("service.instance.id"));
  }

  @Test
  void byKeysAndTheOverflowRowAreSeriesOfTheirOwnAndPidIsALabelOnlyWhenAsked() throws Exception {
    List<String> keys = MetricLabels.keyNames(List.of("year"));
    MetricsSnapshot s = new MetricsSnapshot(TARGET, keys,
        List.of(new MetricsSnapshot.Calls("main.prepareAnswer", 5)),
        List.of(new MetricsSnapshot.Timing("main.prepareAnswer", List.of("2021"), false, Log2Histogram.of(1000, 2000)),
            new MetricsSnapshot.Timing("main.prepareAnswer", List.of("2022"), false, Log2Histogram.of(3000)),
            new MetricsSnapshot.Timing("main.prepareAnswer", List.of(MetricLabels.OTHER), true,
                Log2Histogram.of(10, 20))),
        List.of(new MetricsSnapshot.State("main.prepareAnswer", 0, 0, 0)), List.of(), 0);
    Map<String, Metric> m = byName(pushOnce(s, true));
    Map<String, Long> byYear = new LinkedHashMap<>();
    for (HistogramDataPoint p : m.get("gotrace_call_duration").getHistogram().getDataPointsList()) {
      Map<String, String> a = attributes(p.getAttributesList());
      assertEquals("4242", a.get("pid"));
      byYear.put(a.get("year"), p.getCount());
    }
    assertEquals(Map.of("2021", 2L, "2022", 1L, "(other)", 2L), byYear);
    NumberDataPoint overflow = only(m.get("gotrace_key_overflow_calls").getSum().getDataPointsList());
    assertEquals(2, overflow.getAsInt());
    assertEquals(Map.of("function", "main.prepareAnswer", "binary", "server", "go_version", "go1.27.0", "pid", "4242"),
        attributes(overflow.getAttributesList()));
  }

  @Test
  void launchesAreACounterPerFunctionTheGoroutineRuns() throws Exception {
    MetricsSnapshot s = new MetricsSnapshot(TARGET, List.of(), List.of(), List.of(), List.of(),
        List.of(new MetricsSnapshot.Launches("main.checkSite.func1", 9)), 0);
    Map<String, Metric> m = byName(pushOnce(s, false));
    assertEquals(List.of("gotrace_goroutine_launches", "gotrace_dropped_records"), List.copyOf(m.keySet()));
    assertTrue(m.get("gotrace_goroutine_launches").getSum().getIsMonotonic());
    assertEquals(9, only(m.get("gotrace_goroutine_launches").getSum().getDataPointsList()).getAsInt());
  }

  @Test
  void pushesEveryIntervalThenTheFinalNumbersOnceAtClose() throws Exception {
    AtomicLong calls = new AtomicLong();
    try (OtlpReceiver r = OtlpReceiver.start()) {
      List<String> warnings = Collections.synchronizedList(new ArrayList<>());
      OtlpPush push = OtlpPush.start(r.metricsUrl(), Duration.ofMillis(200), () -> List.of(() -> snapshot(calls.get())),
          false, warnings::add);
      calls.set(5);
      r.awaitMetrics(l -> l.size() >= 2, 10_000);
      calls.set(9);
      push.close();
      List<ExportMetricsServiceRequest> got = r.metricRequests();
      assertTrue(got.size() >= 2, "pushed every 200 ms: " + got.size());
      assertEquals(9, callsIn(got.get(got.size() - 1)), "the last push has the final numbers");
      long[] seen = got.stream().mapToLong(OtlpPushTest::callsIn).toArray();
      for (int i = 1; i < seen.length; i++) {
        assertTrue(seen[i] >= seen[i - 1], "cumulative: " + java.util.Arrays.toString(seen));
      }
      Thread.sleep(600);
      assertEquals(got.size(), r.metricRequests().size(), "nothing is pushed after close");
      assertEquals(List.of(), warnings);
    }
  }

  @Test
  void closingDuringAPushLetsItFinishAndReportsNothing() throws Exception {
    try (OtlpReceiver r = OtlpReceiver.start()) {
      List<String> warnings = Collections.synchronizedList(new ArrayList<>());
      // the session's owner never offers: the scheduled push waits in snapshot() when close comes
      SnapshotExchange exchange = new SnapshotExchange(snapshot(3));
      OtlpPush push = OtlpPush.start(r.metricsUrl(), Duration.ofMillis(50), () -> List.of(exchange), false,
          warnings::add);
      Thread.sleep(300);
      push.close();
      assertEquals(List.of(), warnings, "no timeout that was none");
      List<ExportMetricsServiceRequest> got = r.metricRequests();
      assertEquals(2, got.size(), "the push under way, then the final one");
      assertEquals(3, callsIn(got.get(1)));
    }
  }

  @Test
  void aRefusingEndpointIsReportedOnceAndItsRecoveryToo() throws Exception {
    try (OtlpReceiver r = OtlpReceiver.start()) {
      List<String> warnings = Collections.synchronizedList(new ArrayList<>());
      r.refuseWith(503);
      try (OtlpPush push = OtlpPush.start(r.metricsUrl(), Duration.ofMillis(100), () -> List.of(() -> snapshot(1)),
          false, warnings::add)) {
        awaitSize(warnings, 1);
        Thread.sleep(500); // several more refused pushes
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("gotrace: pushing metrics to " + r.metricsUrl() + " failed: HTTP 503 (gotrace keeps trying; said once)",
            warnings.get(0));
        r.refuseWith(0);
        awaitSize(warnings, 2);
        assertEquals("gotrace: pushing metrics to " + r.metricsUrl() + " works again", warnings.get(1));
      }
    }
  }

  @Test
  void anEndpointNobodyListensOnIsOneLineNotAStackTrace() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/v1/metrics");
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    try (OtlpPush push = OtlpPush.start(url, Duration.ofMillis(100), () -> List.of(() -> snapshot(1)), false,
        warnings::add)) {
      awaitSize(warnings, 1);
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("gotrace: pushing metrics to " + url + " failed: "), warnings.get(0));
    assertEquals("gotrace: pushing metrics to " + url + " failed: cannot connect (nothing listening there?)"
        + " (gotrace keeps trying; said once)", warnings.get(0));
  }

  private static void awaitSize(List<String> l, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (l.size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(l.size() >= n, "expected " + n + " warnings: " + l);
  }

  private static MetricsSnapshot snapshot(long calls) {
    return new MetricsSnapshot(TARGET, List.of(), List.of(new MetricsSnapshot.Calls("main.handler", calls)),
        List.of(), List.of(), List.of(), 0);
  }

  private static long callsIn(ExportMetricsServiceRequest r) {
    return byName(r.getResourceMetrics(0)).get("gotrace_calls").getSum().getDataPoints(0).getAsInt();
  }

  /** Pushes {@code s} once (the final push of a push closed at once) and returns what arrived. */
  private static ResourceMetrics pushOnce(MetricsSnapshot s, boolean pidLabel) throws Exception {
    try (OtlpReceiver r = OtlpReceiver.start()) {
      OtlpPush.start(r.metricsUrl(), Duration.ofHours(1), () -> List.of(() -> s), pidLabel, w -> {
        throw new AssertionError(w);
      }).close();
      List<ExportMetricsServiceRequest> got = r.metricRequests();
      assertEquals(1, got.size(), "one push, at close");
      assertEquals(1, got.get(0).getResourceMetricsCount());
      return got.get(0).getResourceMetrics(0);
    }
  }

  private static Map<String, Metric> byName(ResourceMetrics rm) {
    Map<String, Metric> m = new LinkedHashMap<>();
    rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(x -> m.put(x.getName(), x)));
    return m;
  }

  private static <T> T only(List<T> l) {
    assertEquals(1, l.size(), l.toString());
    return l.get(0);
  }

}
