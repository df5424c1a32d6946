package dev.gotrace.export.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.metrics.MetricLabels;
import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.MetricsSnapshot.Calls;
import dev.gotrace.core.metrics.MetricsSnapshot.Launches;
import dev.gotrace.core.metrics.MetricsSnapshot.State;
import dev.gotrace.core.metrics.MetricsSnapshot.Timing;
import dev.gotrace.core.metrics.MetricsSource;
import dev.gotrace.core.metrics.TargetInfo;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The endpoint as a scraper sees it: the client's text exposition of synthetic snapshots. */
class PrometheusEndpointTest {
  private static final TargetInfo SERVER_1 = new TargetInfo("server", Path.of("/srv/server"), "go1.27.0", 101);
  private static final TargetInfo SERVER_2 = new TargetInfo("server", Path.of("/srv/server"), "go1.27.0", 202);
  private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private static MetricsSnapshot latency(TargetInfo t, Log2Histogram h, long inFlight, long dropped) {
    return new MetricsSnapshot(t, List.of(), List.of(new Calls("main.handle", h.count())),
        List.of(new Timing("main.handle", List.of(), false, h)),
        List.of(new State("main.handle", inFlight, 1, 2)), List.of(), dropped);
  }

  private static String scrape(PrometheusEndpoint e) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + e.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void histogramBucketsAreTheLog2BucketsCumulativeInSeconds() throws Exception {
    // 100 ns and 511 ns under the first bound (512 ns), 512 ns in le=1024 ns, 2^20 ns in le=2^21 ns,
    // 40 s past the last bound (2^35 ns = 34.4 s): only in +Inf
    Log2Histogram h = Log2Histogram.of(100, 511, 512, 1 << 20, 40_000_000_000L);
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK,
        () -> List.of(() -> latency(SERVER_1, h, 3, 7)), false)) {
      Exposition x = Exposition.parse(scrape(e));
      Map<String, String> fn = Map.of("function", "main.handle", "binary", "server", "go_version", "go1.27.0");
      List<Exposition.Sample> buckets = x.find("gotrace_call_duration_seconds_bucket", fn);
      assertEquals(SnapshotCollector.LAST_BOUND - SnapshotCollector.FIRST_BOUND + 2, buckets.size(), buckets.toString());
      List<Double> bounds = new ArrayList<>();
      for (Exposition.Sample s : buckets) {
        bounds.add(Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")));
      }
      for (int k = SnapshotCollector.FIRST_BOUND; k <= SnapshotCollector.LAST_BOUND; k++) {
        assertEquals((1L << k) / 1e9, bounds.get(k - SnapshotCollector.FIRST_BOUND), 1e-15, "bound " + k);
      }
      assertEquals(Double.POSITIVE_INFINITY, bounds.get(bounds.size() - 1));
      assertEquals(2, buckets.get(0).value(), "le=512ns");
      assertEquals(3, buckets.get(1).value(), "le=1024ns");
      assertEquals(3, buckets.get(21 - 1 - SnapshotCollector.FIRST_BOUND).value(), "le=2^20ns");
      assertEquals(4, buckets.get(21 - SnapshotCollector.FIRST_BOUND).value(), "le=2^21ns");
      assertEquals(4, buckets.get(buckets.size() - 2).value(), "le=2^35ns");
      assertEquals(5, buckets.get(buckets.size() - 1).value(), "+Inf");
      assertEquals(5, x.value("gotrace_call_duration_seconds_count", fn));
      assertEquals((100 + 511 + 512 + (1 << 20) + 40_000_000_000L) / 1e9,
          x.value("gotrace_call_duration_seconds_sum", fn), 1e-12);
      assertEquals(5, x.value("gotrace_calls_total", fn));
      assertEquals(3, x.value("gotrace_calls_in_flight", fn));
      assertEquals(1, x.value("gotrace_unmatched_exits_total", fn));
      assertEquals(2, x.value("gotrace_never_exited_total", fn));
      assertEquals(7, x.value("gotrace_dropped_records_total", Map.of("binary", "server")));
      assertTrue(x.find("gotrace_calls_total", Map.of()).stream().noneMatch(s -> s.labels().containsKey("pid")),
          "no pid label by default");
      assertTrue(x.find("gotrace_key_overflow_calls_total", Map.of()).isEmpty(), "no --by, no overflow counter");
    }
  }

  @Test
  void twoProcessesOfOneBinaryAddUpWithoutThePidLabelAndSplitWithIt() throws Exception {
    List<MetricsSource> sources = List.of(() -> latency(SERVER_1, Log2Histogram.of(1000, 2000), 1, 1),
        () -> latency(SERVER_2, Log2Histogram.of(1000, 4000, 8000), 0, 2));
    Map<String, String> fn = Map.of("function", "main.handle");
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> sources, false)) {
      Exposition x = Exposition.parse(scrape(e));
      assertEquals(5, x.value("gotrace_calls_total", fn));
      assertEquals(5, x.value("gotrace_call_duration_seconds_count", fn));
      assertEquals(16_000 / 1e9, x.value("gotrace_call_duration_seconds_sum", fn), 1e-15);
      assertEquals(2, x.value("gotrace_call_duration_seconds_bucket", Map.of("le", "1.024E-6")));
      assertEquals(1, x.value("gotrace_calls_in_flight", fn));
      assertEquals(3, x.value("gotrace_dropped_records_total", Map.of()));
    }
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> sources, true)) {
      Exposition x = Exposition.parse(scrape(e));
      assertEquals(2, x.value("gotrace_calls_total", Map.of("pid", "101")));
      assertEquals(3, x.value("gotrace_calls_total", Map.of("pid", "202")));
      assertEquals(2, x.value("gotrace_dropped_records_total", Map.of("pid", "202")));
    }
  }

  @Test
  void byKeysAreLabelsAndTheOverflowRowIsOtherAndCounted() throws Exception {
    List<String> keyLabels = MetricLabels.keyNames(List.of("r.URL.Path", "code"));
    List<String> other = List.of(MetricLabels.OTHER, MetricLabels.OTHER);
    MetricsSnapshot s = new MetricsSnapshot(SERVER_1, keyLabels, List.of(new Calls("main.handle", 6)),
        List.of(new Timing("main.handle", List.of("/a", "200"), false, Log2Histogram.of(1000, 1000)),
            new Timing("main.handle", List.of("say \"hi\"\n", "500"), false, Log2Histogram.of(3000)),
            new Timing("main.handle", other, true, Log2Histogram.of(1000, 2000, 3000))),
        List.of(), List.of(), 0);
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> List.of(() -> s), false)) {
      String text = scrape(e);
      Exposition x = Exposition.parse(text);
      assertEquals(2, x.value("gotrace_call_duration_seconds_count", Map.of("r_URL_Path", "/a", "code", "200")));
      assertTrue(text.contains("r_URL_Path=\"say \\\"hi\\\"\\n\""), "the client escapes label values:\n" + text);
      assertEquals(3, x.value("gotrace_call_duration_seconds_count",
          Map.of("r_URL_Path", MetricLabels.OTHER, "code", MetricLabels.OTHER)));
      assertEquals(3, x.value("gotrace_key_overflow_calls_total", Map.of("function", "main.handle")));
      assertEquals(3, x.find("gotrace_call_duration_seconds_count", Map.of()).size());
    }
  }

  @Test
  void overflowCounterIsZeroUntilTheKeyTableFills() throws Exception {
    MetricsSnapshot s = new MetricsSnapshot(SERVER_1, List.of("code"), List.of(new Calls("main.handle", 1)),
        List.of(new Timing("main.handle", List.of("200"), false, Log2Histogram.of(1000))), List.of(), List.of(), 0);
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> List.of(() -> s), false)) {
      assertEquals(0, Exposition.parse(scrape(e)).value("gotrace_key_overflow_calls_total", Map.of()));
    }
  }

  @Test
  void launchesAndFuncsCallsAreCounters() throws Exception {
    MetricsSnapshot g = new MetricsSnapshot(SERVER_1, List.of(), List.of(), List.of(), List.of(),
        List.of(new Launches("main.worker", 12)), 0);
    MetricsSnapshot f = new MetricsSnapshot(SERVER_2, List.of(), List.of(new Calls("main.parse", 0),
        new Calls("main.handle", 9)), List.of(), List.of(), List.of(), 0);
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> List.of(() -> g, () -> f), false)) {
      String text = scrape(e);
      Exposition x = Exposition.parse(text);
      assertEquals(12, x.value("gotrace_goroutine_launches_total", Map.of("function", "main.worker")));
      assertEquals(0, x.value("gotrace_calls_total", Map.of("function", "main.parse")));
      assertEquals(9, x.value("gotrace_calls_total", Map.of("function", "main.handle")));
      assertTrue(text.contains("# TYPE gotrace_calls_total counter"), text);
      assertTrue(x.find("gotrace_call_duration_seconds_count", Map.of()).isEmpty(), text);
    }
  }

  @Test
  void sourcesAreReadAtEachScrape() throws Exception {
    List<MetricsSource> sources = new CopyOnWriteArrayList<>();
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> List.copyOf(sources), false)) {
      assertTrue(Exposition.parse(scrape(e)).samples().isEmpty());
      sources.add(() -> latency(SERVER_1, Log2Histogram.of(5), 0, 0));
      assertEquals(1, Exposition.parse(scrape(e)).value("gotrace_calls_total", Map.of()));
      sources.clear();
      assertTrue(Exposition.parse(scrape(e)).find("gotrace_calls_total", Map.of()).isEmpty());
    }
  }

  @Test
  void aScraperThatLeavesMidResponseLogsNothing() throws Exception {
    // about 20 MB of text: far more than the loopback socket buffers, so the server is still
    // writing when the scraper closes its end, and its write fails with a broken pipe
    List<Calls> calls = new ArrayList<>();
    List<Timing> timings = new ArrayList<>();
    Log2Histogram h = Log2Histogram.of(1_000, 50_000, 3_000_000);
    for (int i = 0; i < 8_000; i++) {
      calls.add(new Calls("main.f" + i, 3));
      timings.add(new Timing("main.f" + i, List.of(), false, h));
    }
    MetricsSnapshot big = new MetricsSnapshot(SERVER_1, List.of(), calls, timings, List.of(), List.of(), 0);
    List<java.util.logging.LogRecord> logged = new CopyOnWriteArrayList<>();
    java.util.logging.Handler catcher = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          logged.add(r);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    java.util.logging.Logger adapter =
        java.util.logging.Logger.getLogger("io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter");
    adapter.addHandler(catcher);
    try (PrometheusEndpoint e = PrometheusEndpoint.start(ANY_LOOPBACK, () -> List.of(() -> big), false)) {
      for (int round = 0; round < 3; round++) {
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), e.port())) {
          s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
          assertTrue(s.getInputStream().read(new byte[4096]) > 0, "the response began");
        }
      }
      Thread.sleep(1_000); // the server notices the closed sockets as it writes on
      assertTrue(scrape(e).contains("main.f7999"), "the next scrape is served whole");
      assertEquals(List.of(), logged.stream().map(java.util.logging.LogRecord::getMessage).toList());
    } finally {
      adapter.removeHandler(catcher);
    }
  }

  @Test
  void aTakenPortIsABindException() throws Exception {
    try (PrometheusEndpoint first = PrometheusEndpoint.start(ANY_LOOPBACK, List::of, false)) {
      InetSocketAddress same = new InetSocketAddress(InetAddress.getLoopbackAddress(), first.port());
      assertThrows(BindException.class, () -> PrometheusEndpoint.start(same, List::of, false));
    }
    assertThrows(IOException.class, () -> PrometheusEndpoint.start(
        InetSocketAddress.createUnresolved("no-such-host.invalid", 9464), List::of, false));
  }
}
