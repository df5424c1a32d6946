package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.PrometheusServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --otlp} into a real Prometheus 3.5 (built with its OTLP receiver by
 * testdata/prometheus-otlp.sh, since Debian's has it patched out), as root, while the same gotrace
 * also serves {@code --prometheus} for that Prometheus to scrape: N requests to the demo server
 * must arrive through both paths under the same names, with the same counts and buckets.
 */
class OtlpPrometheusLiveTest {
  private static final int N = 25;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void theSameCountsArriveThroughThePushPathAsThroughTheScrape() throws Exception {
    TestBinaries.requireRoot();
    int port = PrometheusServer.freePort();
    String scrape = "  - job_name: scraped\n    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n";
    try (PrometheusServer prom = PrometheusServer.startWithOtlp(scrape);
        GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Process gotrace = gotrace(server, "latency", "main.handler", "main.prepareAnswer", "--prometheus",
          Integer.toString(port), "--otlp", prom.otlpMetricsUrl(), "--otlp-interval", "1s", "--duration", "25s");
      try {
        assertEquals(N, server.requests(N));
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        // pushed: job is the resource's service.name, instance its service.instance.id
        String pushed = "job=\"server\",instance=\"" + host + "/" + server.pid() + "\"";
        String scraped = "job=\"scraped\"";
        for (String f : List.of("main.handler", "main.prepareAnswer")) {
          for (String job : List.of(pushed, scraped)) {
            String sel = "{" + job + ",function=\"" + f + "\"}";
            assertEquals(N, prom.await("gotrace_calls_total" + sel, v -> v == N, WAIT).orElse(-1), sel + prom.log());
            assertEquals(N, prom.await("gotrace_call_duration_seconds_count" + sel, v -> v == N, WAIT).orElse(-1), sel);
            assertEquals(0, prom.value("gotrace_calls_in_flight" + sel).orElse(-1), sel);
            assertEquals(0, prom.value("gotrace_unmatched_exits_total" + sel).orElse(-1), sel);
            assertEquals(0, prom.value("gotrace_never_exited_total" + sel).orElse(-1), sel);
          }
          Map<Double, Double> viaPush = buckets(prom, pushed, f);
          Map<Double, Double> viaScrape = buckets(prom, scraped, f);
          assertEquals(viaScrape, viaPush, f + ": the same le bounds and cumulative counts both ways");
          assertEquals(28, viaPush.size(), "2^9 .. 2^35 ns and +Inf");
          assertEquals((double) N, viaPush.get(Double.POSITIVE_INFINITY));
          double before = 0;
          for (double c : viaPush.values()) {
            assertTrue(c >= before, "cumulative: " + viaPush);
            before = c;
          }
          List<Double> bounds = new ArrayList<>(viaPush.keySet()).subList(0, 27);
          for (int k = 9; k <= 35; k++) {
            assertEquals(Math.scalb(1.0, k) / 1e9, bounds.get(k - 9), 1e-18, "le of 2^" + k + " ns");
          }
          double p99 = prom.value("histogram_quantile(0.99, gotrace_call_duration_seconds_bucket{" + pushed
              + ",function=\"" + f + "\"})").orElse(-1);
          assertTrue(p99 > 0 && p99 < 1, f + " p99 " + p99);
        }
        assertEquals(0, prom.value("gotrace_dropped_records_total{" + pushed + "}").orElse(-1));
        // every gotrace series of the scrape, and only those, arrived through the push with the same value;
        // only the text of le differs: Prometheus writes a scraped bound as Go's shortest float
        // ("5.12e-07") and the OTLP translation writes it in plain decimals ("0.000000512")
        assertEquals(2, prom.query("gotrace_call_duration_seconds_bucket{" + scraped + ",le=\"5.12e-07\"}").size());
        assertEquals(2, prom.query("gotrace_call_duration_seconds_bucket{" + pushed + ",le=\"0.000000512\"}").size());
        Map<String, Double> viaScrape = series(prom, scraped);
        Map<String, Double> viaPush = series(prom, pushed);
        assertEquals(viaScrape.keySet(), viaPush.keySet(), "the same series both ways");
        for (var e : viaScrape.entrySet()) {
          assertEquals(e.getValue(), viaPush.get(e.getKey()), Math.abs(e.getValue()) * 1e-9, e.getKey());
        }
        // the other resource attributes: Prometheus' target_info
        List<PrometheusServer.Sample> info = prom.query("target_info{" + pushed + "}");
        assertEquals(1, info.size(), info.toString());
        PrometheusServer.Sample t = info.get(0);
        assertEquals(host, t.label("host_name"));
        assertEquals("go", t.label("process_runtime_name"));
        assertTrue(t.label("process_runtime_version").startsWith("go1."), t.labels());
        assertEquals(TestBinaries.demoServer().toString(), t.label("process_executable_path"));
        assertEquals(Integer.toString(server.pid()), t.label("process_pid"));
      } finally {
        gotrace.destroy();
        gotrace.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void byKeysAndTheOverflowArriveAsTheScrapeHasThem() throws Exception {
    TestBinaries.requireRoot();
    int port = PrometheusServer.freePort();
    String scrape = "  - job_name: scraped\n    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n";
    try (PrometheusServer prom = PrometheusServer.startWithOtlp(scrape);
        GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Process gotrace = gotrace(server, "latency", "main.prepareAnswer", "--by", "year", "--max-keys", "2",
          "--prometheus", Integer.toString(port), "--otlp", prom.otlpMetricsUrl(), "--otlp-interval", "1s",
          "--duration", "25s");
      try {
        HttpClient http = HttpClient.newHttpClient();
        // 2021 and 2022 take the two keys; 2023's calls overflow into (other)
        int[][] asked = {{2021, 5}, {2022, 3}, {2023, 2}};
        for (int[] a : asked) {
          for (int i = 0; i < a[1]; i++) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.base() + "/?name=k&year=" + a[0]))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
          }
        }
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        String pushed = "job=\"server\",instance=\"" + host + "/" + server.pid() + "\"";
        String scraped = "job=\"scraped\"";
        for (String job : List.of(pushed, scraped)) {
          String sel = "{" + job + ",function=\"main.prepareAnswer\"";
          assertEquals(2, prom.await("gotrace_key_overflow_calls_total" + sel + "}", v -> v == 2, WAIT).orElse(-1),
              job + prom.log());
          assertEquals(5, prom.await("gotrace_call_duration_seconds_count" + sel + ",year=\"2021\"}", v -> v == 5, WAIT)
              .orElse(-1), job);
          assertEquals(3, prom.value("gotrace_call_duration_seconds_count" + sel + ",year=\"2022\"}").orElse(-1), job);
          assertEquals(2, prom.value("gotrace_call_duration_seconds_count" + sel + ",year=\"(other)\"}").orElse(-1), job);
          assertEquals(10, prom.value("gotrace_calls_total" + sel + "}").orElse(-1), job);
        }
        Map<String, Double> viaScrape = series(prom, scraped);
        Map<String, Double> viaPush = series(prom, pushed);
        assertEquals(viaScrape.keySet(), viaPush.keySet(), "the same series both ways");
        for (var e : viaScrape.entrySet()) {
          assertEquals(e.getValue(), viaPush.get(e.getKey()), Math.abs(e.getValue()) * 1e-9, e.getKey());
        }
      } finally {
        gotrace.destroy();
        gotrace.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Every gotrace_* series of {@code job}: its name and labels but job and instance, and its value. */
  private static Map<String, Double> series(PrometheusServer prom, String job) throws Exception {
    Map<String, Double> out = new TreeMap<>();
    for (PrometheusServer.Sample s : prom.query("{__name__=~\"gotrace_.*\"," + job + "}")) {
      String labels = s.labels().replaceAll("\"(job|instance)\":\"[^\"]*\",?", "").replace(",}", "}");
      String le = s.label("le");
      if (!le.isEmpty() && !le.equals("+Inf")) {
        labels = labels.replace("\"le\":\"" + le + "\"", "\"le\":\"" + Double.parseDouble(le) + "\"");
      }
      out.put(labels, s.value());
    }
    return out;
  }

  /** le → cumulative count of {@code function}'s histogram series in {@code job}, by bound. */
  private static Map<Double, Double> buckets(PrometheusServer prom, String job, String function) throws Exception {
    Map<Double, Double> out = new TreeMap<>(Comparator.naturalOrder());
    for (PrometheusServer.Sample s : prom.query("gotrace_call_duration_seconds_bucket{" + job + ",function=\""
        + function + "\"}")) {
      String le = s.label("le");
      out.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value());
    }
    return out;
  }

  /** gotrace in a JVM of its own attached to {@code server}, once it says it is attached. */
  private static Process gotrace(GoServer server, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> all = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    all.add(args[0]);
    all.add(TestBinaries.demoServer().toString());
    all.addAll(List.of(args).subList(1, args.length));
    all.addAll(List.of("-p", Integer.toString(server.pid())));
    Path err = Files.createTempFile("gotrace-otlp-prom", ".err");
    Process p = new ProcessBuilder(all).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile()).start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.readString(err).contains("Ctrl-C to end") && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!Files.readString(err).contains("Ctrl-C to end")) {
      p.destroyForcibly();
      throw new AssertionError("not attached: " + Files.readString(err));
    }
    return p;
  }
}
