package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.PrometheusServer;
import dev.gotrace.testdata.PrometheusServer.Sample;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --prometheus} as root, end to end: a real Prometheus (Debian's 3.5) scrapes gotrace
 * every second while the test drives known requests into the demo server, then its HTTP API
 * answers with exactly the calls made.
 */
class PrometheusLiveCliTest {
  static final int N = 25;
  private static final Duration WAIT = Duration.ofSeconds(30);

  static TestBinary server() {
    return TestBinaries.get("go1.27", "amd64", "default", "server");
  }

  /** The one value of {@code promql} once it reaches {@code want} (or the last one seen after 30 s). */
  static double reaches(PrometheusServer p, String promql, double want) throws Exception {
    return p.await(promql, v -> v >= want, WAIT).orElse(Double.NaN);
  }

  @Test
  void latencyCountsEveryRequestAndTheHistogramAgrees() throws Exception {
    TestBinaries.requireRoot();
    TestBinary bin = server();
    try (GoServer server = GoServer.start(bin.path());
        ScrapedGotrace g = ScrapedGotrace.start("latency", bin.path().toString(), "main.prepareAnswer",
            "main.handler", "-p", Integer.toString(server.pid()))) {
      assertEquals(N, server.requests(N));
      PrometheusServer p = g.prometheus();
      for (String f : List.of("main.prepareAnswer", "main.handler")) {
        String fn = "{function=\"" + f + "\"}";
        assertEquals(N, reaches(p, "gotrace_calls_total" + fn, N), f + ": " + p.query("gotrace_calls_total"));
        assertEquals(N, reaches(p, "gotrace_call_duration_seconds_count" + fn, N), f);
        assertEquals(N, p.value("gotrace_call_duration_seconds_bucket{function=\"" + f + "\",le=\"+Inf\"}")
            .orElse(-1), f);
        assertEquals(28, p.value("count(gotrace_call_duration_seconds_bucket" + fn + ")").orElse(-1),
            "27 bounds, 512 ns to 34 s, and +Inf");
        double sum = p.value("gotrace_call_duration_seconds_sum" + fn).orElse(-1);
        assertTrue(sum > 0 && sum < N * 10.0, f + " took " + sum + " s in all");
        assertEquals(0, p.value("gotrace_calls_in_flight" + fn).orElse(-1), f);
        assertEquals(0, p.value("gotrace_unmatched_exits_total" + fn).orElse(-1), f);
        assertEquals(0, p.value("gotrace_never_exited_total" + fn).orElse(-1), f);
      }
      Sample s = p.query("gotrace_calls_total{function=\"main.prepareAnswer\"}").get(0);
      assertEquals("server", s.label("binary"));
      assertEquals(bin.goVersion(), s.label("go_version"));
      assertEquals("", s.label("pid"), "no pid label without --metrics-pid");
      assertEquals(0, p.value("gotrace_dropped_records_total").orElse(-1));
      // the README's query: p99 per function from the classic buckets
      String p99 = "histogram_quantile(0.99, sum by (le, function) (rate(gotrace_call_duration_seconds_bucket[1m])))";
      List<Sample> q = List.of();
      for (long end = System.nanoTime() + WAIT.toNanos(); q.size() < 2 && System.nanoTime() < end; Thread.sleep(250)) {
        q = p.query(p99).stream().filter(x -> Double.isFinite(x.value())).toList();
      }
      assertEquals(2, q.size(), p99 + ": " + q);
      for (Sample x : q) {
        assertTrue(x.value() > 0 && x.value() < 10, x.toString());
      }
      assertTrue(p.query(p99).stream().anyMatch(x -> x.label("function").equals("main.handler")), p99);
      assertEquals(143, g.terminate(), g.err());
    }
  }

  @Test
  void byKeysAreExactSeriesAndPidLabelIsTheTracedProcess() throws Exception {
    TestBinaries.requireRoot();
    TestBinary bin = server();
    try (GoServer server = GoServer.start(bin.path());
        ScrapedGotrace g = ScrapedGotrace.start("latency", bin.path().toString(), "main.prepareAnswer",
            "--by", "year", "--metrics-pid", "-p", Integer.toString(server.pid()))) {
      Map<String, Integer> years = Map.of("2021", 3, "2020", 2, "2019", 1);
      HttpClient client = HttpClient.newHttpClient();
      for (var y : years.entrySet()) {
        for (int i = 0; i < y.getValue(); i++) {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.base() + "/?name=G&year="
              + y.getKey())).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
        }
      }
      PrometheusServer p = g.prometheus();
      String pid = Integer.toString(server.pid());
      assertEquals(6, reaches(p, "gotrace_calls_total{function=\"main.prepareAnswer\",pid=\"" + pid + "\"}", 6));
      Map<String, Integer> seen = new TreeMap<>();
      for (long end = System.nanoTime() + WAIT.toNanos(); !seen.equals(new TreeMap<>(years))
          && System.nanoTime() < end; Thread.sleep(250)) {
        seen.clear();
        for (Sample s : p.query("gotrace_call_duration_seconds_count{function=\"main.prepareAnswer\"}")) {
          assertEquals(pid, s.label("pid"), s.labels());
          seen.put(s.label("year"), (int) s.value());
        }
      }
      assertEquals(new TreeMap<>(years), seen, "one series per year, each with its calls");
      assertEquals(0, p.value("gotrace_key_overflow_calls_total{function=\"main.prepareAnswer\"}").orElse(-1));
      assertEquals(3, p.value("gotrace_call_duration_seconds_bucket{year=\"2021\",le=\"+Inf\"}").orElse(-1));
    }
  }

  @Test
  void funcsCountsCallsAsTheyAreSeen() throws Exception {
    TestBinaries.requireRoot();
    TestBinary bin = server();
    try (GoServer server = GoServer.start(bin.path());
        ScrapedGotrace g = ScrapedGotrace.start("funcs", bin.path().toString(), "main.prepareAnswer", "main.ping",
            "-p", Integer.toString(server.pid()))) {
      assertEquals(N, server.requests(N));
      PrometheusServer p = g.prometheus();
      assertEquals(N, reaches(p, "gotrace_calls_total{function=\"main.prepareAnswer\"}", N));
      assertEquals(N, reaches(p, "gotrace_calls_total{function=\"main.ping\"}", N));
      assertEquals(0, p.value("gotrace_dropped_records_total").orElse(-1));
      assertTrue(p.query("gotrace_call_duration_seconds_count").isEmpty(), "funcs times nothing");
    }
  }

  @Test
  void goroutinesCountsLaunchesByFunction() throws Exception {
    TestBinaries.requireRoot();
    TestBinary bin = server();
    try (GoServer server = GoServer.start(bin.path());
        ScrapedGotrace g = ScrapedGotrace.start("goroutines", bin.path().toString(),
            "-p", Integer.toString(server.pid()))) {
      assertEquals(N, server.requests(N));
      PrometheusServer p = g.prometheus();
      // checkSite launches one goroutine per request; net/http's own vary with connection reuse
      assertEquals(N, reaches(p, "gotrace_goroutine_launches_total{function=\"main.checkSite.func1\"}", N),
          p.query("gotrace_goroutine_launches_total").toString());
    }
  }

  /**
   * The cardinality cap: look calls main.size(v) for 10,000 distinct v; with --by v the kernel
   * keeps --max-keys keys (each of those v called once) and counts the rest as (other), so
   * Prometheus gets cap + 1 series, and the overflow counter is exactly the calls past the cap.
   */
  @ParameterizedTest
  @ValueSource(ints = {100, ByOptions.DEFAULT_MAX_KEYS})
  void tenThousandKeysMakeCapPlusOneSeriesAndTheOverflowIsCounted(int cap) throws Exception {
    TestBinaries.requireRoot();
    TestBinary look = TestBinaries.get("go1.27", "amd64", "default", "look");
    int distinct = 10_000;
    List<String> args = new ArrayList<>(List.of("latency", look.path().toString(), "main.size", "--by", "v"));
    if (cap != ByOptions.DEFAULT_MAX_KEYS) {
      args.addAll(List.of("--max-keys", Integer.toString(cap)));
    }
    try (ScrapedGotrace g = ScrapedGotrace.start(args.toArray(String[]::new))) {
      Process p = new ProcessBuilder(look.path().toString(), "-n", "1", "-hist-n", Integer.toString(distinct))
          .redirectErrorStream(true).start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), printed);
      assertTrue(printed.contains("calls main.size " + distinct + "\n"), printed);
      PrometheusServer prom = g.prometheus();
      String fn = "{function=\"main.size\"}";
      assertEquals(distinct, reaches(prom, "gotrace_calls_total" + fn, distinct));
      assertEquals(distinct, reaches(prom, "sum(gotrace_call_duration_seconds_count" + fn + ")", distinct),
          "every call in one series");
      assertEquals(cap + 1, prom.value("count(gotrace_call_duration_seconds_count" + fn + ")").orElse(-1),
          "the cap's keys and (other)");
      assertEquals(cap, prom.value("count(gotrace_call_duration_seconds_count{function=\"main.size\",v!=\"(other)\"}"
          + " == 1)").orElse(-1), "each kept key is one v, called once");
      assertEquals(distinct - cap, prom.value("gotrace_call_duration_seconds_count{v=\"(other)\"}").orElse(-1));
      assertEquals(distinct - cap, reaches(prom, "gotrace_key_overflow_calls_total" + fn, distinct - cap));
      assertEquals((cap + 1) * 28, prom.value("count(gotrace_call_duration_seconds_bucket" + fn + ")").orElse(-1),
          "series in Prometheus: 28 buckets per key");
    }
  }
}
