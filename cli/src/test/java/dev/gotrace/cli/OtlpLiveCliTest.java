package dev.gotrace.cli;

import static dev.gotrace.testdata.OtlpReceiver.attributes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.OtlpReceiver;
import dev.gotrace.testdata.TestBinaries;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --otlp} and {@code --otlp-spans} end to end, as root: gotrace (a JVM of its own, as a user
 * runs it) traces the demo server while the test makes known requests, and pushes to an OTLP/HTTP
 * endpoint on loopback that decodes what arrives with the OTLP project's protobuf classes (Debian's
 * Prometheus has its OTLP receiver patched out, so it cannot be the receiver here). The numbers
 * must be the requests': calls, histogram counts, span counts, the arguments the requests passed.
 */
class OtlpLiveCliTest {
  private static final int N = 20;

  @Test
  void latencyPushesTheRequestsCountsEveryIntervalAndTheFinalOnesAtTheEnd() throws Exception {
    TestBinaries.requireRoot();
    try (OtlpReceiver r = OtlpReceiver.start(); GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Traced t = Traced.start(server, "latency", "main.handler", "main.prepareAnswer", "--otlp",
          r.metricsUrl().toString(), "--otlp-interval", "500ms", "--count", Integer.toString(2 * N));
      assertEquals(N / 2, server.requests(N / 2));
      // a push while the trace runs has the first half of the requests
      List<ExportMetricsServiceRequest> mid = r.awaitMetrics(l -> !l.isEmpty()
          && calls(l.get(l.size() - 1)).getOrDefault("main.prepareAnswer", 0L) == N / 2, 20_000);
      assertEquals(N / 2, calls(mid.get(mid.size() - 1)).get("main.prepareAnswer"), t.err());
      assertEquals(N - N / 2, server.requests(N - N / 2));
      t.await();
      assertTrue(t.err().contains("Pushing metrics to " + r.metricsUrl() + " every 500ms"), t.err());

      List<ExportMetricsServiceRequest> all = r.metricRequests();
      ExportMetricsServiceRequest last = all.get(all.size() - 1);
      assertEquals(Map.of("main.handler", (long) N, "main.prepareAnswer", (long) N), calls(last), "the final push");
      long before = 0;
      for (ExportMetricsServiceRequest q : all) {
        long c = calls(q).getOrDefault("main.prepareAnswer", 0L);
        assertTrue(c >= before, "cumulative, never less than the push before");
        before = c;
      }
      assertTrue(all.size() >= 2, "pushed while tracing and at the end: " + all.size());

      ResourceMetrics rm = last.getResourceMetrics(0);
      Map<String, Metric> m = new LinkedHashMap<>();
      rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(x -> m.put(x.getName(), x)));
      Map<String, HistogramDataPoint> hist = new HashMap<>();
      for (HistogramDataPoint p : m.get("gotrace_call_duration").getHistogram().getDataPointsList()) {
        hist.put(attributes(p.getAttributesList()).get("function"), p);
      }
      for (String f : List.of("main.handler", "main.prepareAnswer")) {
        HistogramDataPoint p = hist.get(f);
        assertEquals(N, p.getCount(), f);
        assertEquals(N, p.getBucketCountsList().stream().mapToLong(Long::longValue).sum(),
            "the buckets hold every call: Prometheus' le=+Inf equals the count");
        assertEquals(p.getExplicitBoundsCount() + 1, p.getBucketCountsCount());
        assertTrue(p.getSum() > 0 && p.getMin() > 0 && p.getMax() >= p.getMin(), p.toString());
        Map<String, String> a = attributes(p.getAttributesList());
        assertEquals("server", a.get("binary"));
        assertTrue(a.get("go_version").startsWith("go1."), a.toString());
      }
      assertTrue(hist.get("main.handler").getSum() > hist.get("main.prepareAnswer").getSum(),
          "the handler's calls contain prepareAnswer's");
      for (NumberDataPoint p : m.get("gotrace_calls_in_flight").getGauge().getDataPointsList()) {
        assertEquals(0, p.getAsInt(), "nothing in flight once every request was answered");
      }
      Map<String, String> res = attributes(rm.getResource().getAttributesList());
      assertEquals("server", res.get("service.name"));
      assertEquals(Long.toString(server.pid()), res.get("process.pid"));
      assertEquals(TestBinaries.demoServer().toString(), res.get("process.executable.path"));
      assertEquals("go", res.get("process.runtime.name"));
      assertEquals(attributes(hist.get("main.handler").getAttributesList()).get("go_version"),
          res.get("process.runtime.version"));
      assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), res.get("host.name"));
    }
  }

  @Test
  void funcsAndGoroutinesPushTheirCountsToo() throws Exception {
    TestBinaries.requireRoot();
    try (OtlpReceiver r = OtlpReceiver.start(); GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Traced t = Traced.start(server, "funcs", "main.prepareAnswer", "--otlp", r.metricsUrl().toString(),
          "--count", Integer.toString(N));
      assertEquals(N, server.requests(N));
      t.await();
      assertEquals(Map.of("main.prepareAnswer", (long) N), calls(last(r)), "funcs' calls seen, pushed at the end");
    }
    try (OtlpReceiver r = OtlpReceiver.start(); GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Traced t = Traced.start(server, "goroutines", "--otlp", r.metricsUrl().toString(), "--duration", "4s");
      assertEquals(N, server.requests(N));
      t.await();
      // each request's checkSite runs one go statement: the goroutine that asks /ping
      Map<String, Long> launches = new HashMap<>();
      for (ResourceMetrics rm : last(r).getResourceMetricsList()) {
        rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().stream()
            .filter(x -> x.getName().equals("gotrace_goroutine_launches"))
            .forEach(x -> {
              assertTrue(x.getSum().getIsMonotonic());
              x.getSum().getDataPointsList().forEach(p ->
                  launches.merge(attributes(p.getAttributesList()).get("function"), p.getAsInt(), Long::sum));
            }));
      }
      assertEquals(N, launches.get("main.checkSite.func1"), launches.toString());
    }
  }

  @Test
  void latencySpansAreTheCompletedCallsWithGoroutineLatencyAndExitSite() throws Exception {
    TestBinaries.requireRoot();
    try (OtlpReceiver r = OtlpReceiver.start(); GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Traced t = Traced.start(server, "latency", "main.prepareAnswer", "--otlp", r.metricsUrl().toString(),
          "--otlp-spans", "--calls", "--json", "--count", Integer.toString(N));
      assertEquals(N, server.requests(N));
      t.await();
      assertTrue(t.err().contains("Pushing a span per call to " + r.tracesUrl()), t.err());
      // --calls --json printed each call: its end, goroutine, latency and exit site
      Pattern call = Pattern.compile("\\{\"type\":\"call\",\"time_ns\":(\\d+),\"pid\":(\\d+),\"goid\":(\\d+),"
          + "\"function\":\"main\\.prepareAnswer\",\"latency_ns\":(\\d+),\"exit\":\"([^\"]+)\".*");
      List<String> printed = new ArrayList<>();
      for (String line : t.out().lines().toList()) {
        Matcher c = call.matcher(line);
        if (c.matches()) {
          long end = Long.parseLong(c.group(1));
          printed.add((end - Long.parseLong(c.group(4))) + ".." + end + " pid " + c.group(2) + " goid " + c.group(3)
              + " at " + c.group(5));
        }
      }
      assertEquals(N, printed.size(), t.out());
      List<String> sent = new ArrayList<>();
      for (OtlpReceiver.ReceivedSpan s : r.spans()) {
        Span sp = s.span();
        assertEquals("main.prepareAnswer", sp.getName());
        Map<String, String> a = attributes(sp.getAttributesList());
        sent.add(sp.getStartTimeUnixNano() + ".." + sp.getEndTimeUnixNano() + " pid " + a.get("process.pid")
            + " goid " + a.get("go.goroutine.id") + " at " + a.get("go.exit.site"));
        assertTrue(a.get("go.exit.site").endsWith("server/main.go:72"), a.toString());
        assertEquals(Long.toString(server.pid()), a.get("process.pid"));
        assertEquals("server", attributes(s.resource().getAttributesList()).get("service.name"));
      }
      assertEquals(printed, sent, "a span per call, at the kernel's times, with the call's goroutine and exit");
    }
  }

  @Test
  void argsSpansCarryTheArgumentsAndResultsTheRequestsPassed() throws Exception {
    TestBinaries.requireRoot();
    try (OtlpReceiver r = OtlpReceiver.start(); GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Traced t = Traced.start(server, "args", "main.prepareAnswer", "--otlp-spans", "--otlp-traces",
          r.tracesUrl().toString(), "--count", Integer.toString(2 * N));
      assertEquals(N, server.requests(N));
      t.await();
      assertTrue(t.err().contains("Pushing a span per call to " + r.tracesUrl()), t.err());
      // what args printed, by goroutine: the call's arguments, the return's result
      Pattern call = Pattern.compile("\\S+  pid \\d+  goid (\\d+)  main\\.prepareAnswer\\((.*)\\)");
      Pattern ret = Pattern.compile("\\S+  pid \\d+  goid (\\d+)  ← main\\.prepareAnswer = (.*) \\(\\S+\\)");
      List<String> printed = new ArrayList<>();
      Map<String, String> argsOf = new HashMap<>();
      for (String line : t.out().lines().toList()) {
        Matcher c = call.matcher(line);
        Matcher x = ret.matcher(line);
        if (c.matches()) {
          argsOf.put(c.group(1), c.group(2));
        } else if (x.matches()) {
          printed.add(x.group(1) + " (" + argsOf.get(x.group(1)) + ") = " + x.group(2));
        }
      }
      assertEquals(N, printed.size(), t.out());
      List<String> sent = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (OtlpReceiver.ReceivedSpan s : r.spans()) {
        Map<String, String> a = attributes(s.span().getAttributesList());
        assertEquals("main.prepareAnswer", s.span().getName());
        assertEquals("2021", a.get("go.arg.year"));
        assertEquals("200", a.get("go.arg.status"), "the server's /ping answered");
        names.add(a.get("go.arg.name"));
        sent.add(a.get("go.goroutine.id") + " (name=" + a.get("go.arg.name") + ", year=" + a.get("go.arg.year")
            + ", status=" + a.get("go.arg.status") + ") = " + a.get("go.result.~r0"));
      }
      assertEquals(printed, sent, "each span has the values args printed for its call");
      Set<String> asked = new HashSet<>();
      for (int i = 0; i < N; i++) {
        asked.add("\"Gopher" + i + "\"");
      }
      assertEquals(asked, names, "the names the requests passed");
    }
  }

  @Test
  void aFractionOfHalfSendsRoughlyHalfTheCalls() throws Exception {
    TestBinaries.requireRoot();
    int n = 200;
    try (OtlpReceiver r = OtlpReceiver.start(); GoServer server = GoServer.start(TestBinaries.demoServer())) {
      Traced t = Traced.start(server, "latency", "main.prepareAnswer", "--otlp", r.metricsUrl().toString(),
          "--otlp-spans=0.5", "--count", Integer.toString(n));
      assertEquals(n, server.requests(n));
      t.await();
      assertTrue(t.err().contains("Pushing spans of 50% of calls to " + r.tracesUrl()), t.err());
      int got = r.spans().size();
      // the SDK samples by each trace id's random bits, unseeded: binomial(200, 0.5) has sd 7.1, so
      // 60..140 (5.6 sd) fails by chance about once in 10^8 runs
      assertTrue(got > 60 && got < 140, got + " of " + n);
      assertEquals(n, calls(last(r)).get("main.prepareAnswer"), "the metrics count every call");
      assertTrue(t.out().contains("main.prepareAnswer  count " + n + "  "), t.out());
      assertFalse(t.out().contains(" at "), "no streamed call printed without --calls: " + t.out());
    }
  }

  private static ExportMetricsServiceRequest last(OtlpReceiver r) {
    List<ExportMetricsServiceRequest> l = r.metricRequests();
    return l.get(l.size() - 1);
  }

  /** gotrace_calls per function in one push. */
  static Map<String, Long> calls(ExportMetricsServiceRequest q) {
    Map<String, Long> out = new HashMap<>();
    for (ResourceMetrics rm : q.getResourceMetricsList()) {
      rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().stream()
          .filter(x -> x.getName().equals("gotrace_calls"))
          .forEach(x -> x.getSum().getDataPointsList().forEach(p ->
              out.merge(attributes(p.getAttributesList()).get("function"), p.getAsInt(), Long::sum))));
    }
    return out;
  }


  /** A gotrace process attached to {@code server} ({@code BINARY ... -p PID} after the arguments). */
  private static final class Traced {
    private final Process process;
    private final Path out;
    private final Path err;

    private Traced(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    static Traced start(GoServer server, String command, String... args) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> all = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), command, TestBinaries.demoServer().toString()));
      all.addAll(List.of(args));
      all.addAll(List.of("-p", Integer.toString(server.pid())));
      Path dir = Files.createTempDirectory("gotrace-otlp");
      Traced t = new Traced(new ProcessBuilder(all).redirectOutput(dir.resolve("out").toFile())
          .redirectError(dir.resolve("err").toFile()).start(), dir.resolve("out"), dir.resolve("err"));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!t.err().contains("Ctrl-C to end") && t.process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (!t.err().contains("Ctrl-C to end")) {
        t.process.destroyForcibly();
        throw new AssertionError("not attached: " + t.err());
      }
      return t;
    }

    String out() throws Exception {
      return Files.readString(out);
    }

    String err() throws Exception {
      return Files.readString(err);
    }

    /** Waits for the end (--count), which must be exit 0. */
    void await() throws Exception {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("gotrace did not end: " + err());
      }
      assertEquals(0, process.exitValue(), err());
    }
  }
}
