package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.PrometheusServer;
import dev.gotrace.testdata.PrometheusServer.Sample;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern NATIVE_BUCKET = Pattern.compile("\\[(\\d),\"([^\"]+)\",\"([^\"]+)\",\"([^\"]+)\"\\]");

  /** The raw JSON answer of an instant query (native histograms have no "value"). */
  static String raw(PrometheusServer p, String promql) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(p.base()
        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /**
   * What the README says of native histograms, checked on Prometheus 3.5: with the feature flag
   * native-histograms, a scrape config's convert_classic_histograms_to_nhcb stores our classic
   * histogram as a native one with custom buckets, the very same bounds (powers of two of ns)
   * and counts; without the flag the same option keeps neither the native nor the classic series.
   */
  @Test
  void classicBucketsConvertToNativeHistogramsWithTheSameBounds() throws Exception {
    TestBinaries.requireRoot();
    TestBinary bin = server();
    try (GoServer server = GoServer.start(bin.path());
        ScrapedGotrace g = ScrapedGotrace.start(List.of("", "    convert_classic_histograms_to_nhcb: true"),
            List.of("--enable-feature=native-histograms"), "latency", bin.path().toString(), "main.prepareAnswer",
            "-p", Integer.toString(server.pid()));
        PrometheusServer noFlag = PrometheusServer.start("  - job_name: nhcb\n    convert_classic_histograms_to_nhcb: true\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:" + g.port() + "']\n")) {
      assertEquals(N, server.requests(N));
      PrometheusServer p = g.prometheus();
      assertEquals(N, reaches(p, "gotrace_call_duration_seconds_count{job=\"gotrace\"}", N), "classic");
      assertEquals(N, reaches(p, "histogram_count(gotrace_call_duration_seconds{job=\"gotrace2\"})", N), "native");
      assertTrue(p.query("gotrace_call_duration_seconds_count{job=\"gotrace2\"}").isEmpty(),
          "converted: no classic series");
      String h = raw(p, "gotrace_call_duration_seconds{job=\"gotrace2\"}");
      Matcher b = NATIVE_BUCKET.matcher(h);
      long total = 0;
      int buckets = 0;
      while (b.find()) {
        long lower = Math.round(Double.parseDouble(b.group(2)) * 1e9);
        long upper = Math.round(Double.parseDouble(b.group(3)) * 1e9);
        assertEquals("0", b.group(1), "(lower, upper]: " + h);
        assertEquals(upper, Long.highestOneBit(upper), "a power of two of ns: " + b.group());
        assertTrue(lower == upper / 2 || upper == 1L << SnapshotCollectorBounds.FIRST, "one log2 bucket: " + b.group());
        total += Long.parseLong(b.group(4));
        buckets++;
      }
      assertTrue(buckets > 0, h);
      assertEquals(N, total, h);
      // the same counts as the classic buckets: the native bucket up to U holds le=U minus le=U/2
      Map<Double, Double> classic = new TreeMap<>();
      for (Sample x : p.query("gotrace_call_duration_seconds_bucket{job=\"gotrace\"}")) {
        classic.put(Double.parseDouble(x.label("le").replace("+Inf", "Infinity")), x.value());
      }
      assertEquals(28, classic.size(), classic.toString());
      Matcher again = NATIVE_BUCKET.matcher(h);
      while (again.find()) {
        double upper = Double.parseDouble(again.group(3));
        double lower = Double.parseDouble(again.group(2));
        double in = classic.get(upper) - classic.getOrDefault(lower, 0.0);
        assertEquals(Long.parseLong(again.group(4)), Math.round(in), again.group() + " vs " + classic);
      }
      double q = p.value("histogram_quantile(0.99, gotrace_call_duration_seconds{job=\"gotrace2\"})").orElse(-1);
      assertTrue(q > 0 && q < 10, "p99 from the native histogram: " + q);
      // without --enable-feature=native-histograms the converted histogram is not stored at all
      assertEquals(N, reaches(noFlag, "gotrace_calls_total", N));
      assertTrue(noFlag.query("gotrace_call_duration_seconds_count").isEmpty(), "no classic series");
      assertTrue(raw(noFlag, "gotrace_call_duration_seconds").contains("\"result\":[]"), "no native series");
    }
  }

  /** The first classic bound, 2^9 ns (export's SnapshotCollector, not visible here). */
  private static final class SnapshotCollectorBounds {
    static final int FIRST = 9;
  }
}
