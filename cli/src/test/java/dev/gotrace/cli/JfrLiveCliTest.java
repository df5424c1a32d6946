package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --jfr} end to end, as root: recordings made while tracing the demo server, read back with
 * {@link RecordingFile}, must hold exactly the calls and launches the commands printed, with the
 * same field values, at the calls' times, with the latencies the kernel measured. Each recording is
 * made by a gotrace JVM of its own, as a user makes it: run in-process one after another in the
 * test JVM (OpenJDK 17.0.15), a later recording read back a string field that an earlier
 * recording had also held (e.g. "main.prepareAnswer") as null — apparently JFR's string-pool
 * cache outliving a recording.
 */
class JfrLiveCliTest {
  private static final JsonFactory JSON = new JsonFactory();
  /** How far an event's start may be from the call's kernel time (clock calibration). */
  private static final long SLACK_NS = 1_000_000;

  @TempDir Path tmp;

  @Test
  void argsRecordingHasEveryCallWithArgumentsResultsAndLatency() throws Exception {
    TestBinaries.requireRoot();
    Path file = tmp.resolve("args.jfr");
    Traced g = trace(ArgsLiveCliTest.N, "args", "main.prepareAnswer", "--count", Integer.toString(2 * ArgsLiveCliTest.N),
        "--jfr", file.toString());
    List<String> lines = g.out().lines().toList();
    assertEquals(2 * ArgsLiveCliTest.N, lines.size(), g.out());
    assertTrue(g.err().contains("gotrace: wrote " + ArgsLiveCliTest.N + " events to " + file), g.err());
    List<RecordedEvent> calls = events(file, "gotrace.GoCall");
    assertEquals(ArgsLiveCliTest.N, calls.size());
    Pattern call = Pattern.compile("\\S+  pid (\\d+)  goid (\\d+)  main\\.prepareAnswer\\((.*)\\)");
    Pattern ret = Pattern.compile("\\S+  pid \\d+  goid (\\d+)  ← main\\.prepareAnswer = (.*) \\((\\S+)\\)");
    for (int i = 0; i < ArgsLiveCliTest.N; i++) {
      RecordedEvent e = calls.get(i);
      Matcher c = call.matcher(lines.get(2 * i));
      Matcher r = ret.matcher(lines.get(2 * i + 1));
      assertTrue(c.matches(), lines.get(2 * i));
      assertTrue(r.matches(), lines.get(2 * i + 1));
      assertEquals("main.prepareAnswer", e.getString("function"));
      assertEquals(Long.parseLong(c.group(2)), e.getLong("goroutine"));
      assertEquals(Integer.parseInt(c.group(1)), e.getInt("pid"));
      assertEquals(c.group(3), e.getString("arguments"));
      assertEquals(r.group(2), e.getString("results"));
      long latency = e.getLong("latency");
      assertEquals(r.group(3), dev.gotrace.cli.render.ArgsRenderer.latency(latency), "args prints the same latency");
      assertEquals(latency, e.getDuration().toNanos(), "the event lasts as long as the call");
      assertAtCallTime(e);
    }
  }

  @Test
  void funcsRecordingHasEveryCallWithItsCaller() throws Exception {
    TestBinaries.requireRoot();
    Path file = tmp.resolve("funcs.jfr");
    Traced t = trace(3, "funcs", "main.prepareAnswer", "--count", "3", "--jfr", file.toString());
    Pattern call = Pattern.compile("\\S+ +(\\d+) +(\\d+)  main\\.prepareAnswer  (main\\.handler \\(main\\.go:\\d+\\))");
    List<Matcher> printed = t.out().lines().map(call::matcher).filter(Matcher::matches).toList();
    assertEquals(3, printed.size(), t.out());
    List<RecordedEvent> calls = events(file, "gotrace.GoCall");
    assertEquals(3, calls.size());
    for (int i = 0; i < 3; i++) {
      RecordedEvent e = calls.get(i);
      assertEquals("main.prepareAnswer", e.getString("function"));
      assertEquals(Integer.parseInt(printed.get(i).group(1)), e.getInt("pid"));
      assertEquals(Long.parseLong(printed.get(i).group(2)), e.getLong("goroutine"));
      assertEquals(printed.get(i).group(3), e.getString("caller"));
      assertEquals(Long.MIN_VALUE, e.getLong("latency"), "an entry probe sees no return");
      assertAtCallTime(e);
    }
  }

  @Test
  void goroutinesRecordingHasEveryLaunchAsPrinted() throws Exception {
    TestBinaries.requireRoot();
    Path file = tmp.resolve("goroutines.jfr");
    Traced t = trace(3, "goroutines", "--json", "--duration", "4s", "--jfr", file.toString());
    List<Map<String, Object>> printed = new ArrayList<>();
    for (String line : t.out().lines().toList()) {
      Map<String, Object> m = FuncsLiveCliTest.parse(JSON, line);
      if ("launch".equals(m.get("event"))) {
        printed.add(m);
      }
    }
    assertTrue(printed.size() >= 9, "three requests launch at least three goroutines each: " + printed);
    List<RecordedEvent> launches = events(file, "gotrace.GoroutineLaunch");
    assertEquals(printed.size(), launches.size(), "one recorded launch per printed launch");
    for (int i = 0; i < printed.size(); i++) {
      Map<String, Object> p = printed.get(i);
      RecordedEvent e = launches.get(i);
      assertEquals(p.get("runs"), e.getString("function"));
      assertEquals(p.get("runs").equals(p.get("func")) ? "" : p.get("func"), e.getString("wrapper"));
      assertEquals(p.get("goid"), e.getLong("creator"));
      assertEquals(p.get("newGoid"), e.getLong("newGoroutine"));
      String file1 = (String) p.get("file");
      assertEquals(p.get("createdBy") + " at " + file1.substring(file1.lastIndexOf('/') + 1) + ":" + p.get("line"),
          e.getString("creationSite"));
      assertEquals(p.get("ts"), e.getLong("startEpochNanos"));
      assertAtCallTime(e);
    }
  }

  @Test
  void latencyRecordingHoldsTheStreamedCallsAndTheKernelSummary() throws Exception {
    TestBinaries.requireRoot();
    Path calls = tmp.resolve("calls.jfr");
    Traced t = trace(4, "latency", "main.prepareAnswer", "--calls", "--json", "--duration", "4s", "--jfr",
        calls.toString());
    List<Long> streamed = new ArrayList<>();
    Map<String, Object> table = null;
    for (String line : t.out().lines().toList()) {
      if (line.startsWith("{\"type\":\"call\"")) {
        streamed.add((Long) FuncsLiveCliTest.parse(JSON, line).get("latency_ns"));
      } else if (line.startsWith("{\"type\":\"latency\"")) {
        Matcher m = Pattern.compile("\"count\":(\\d+),\"sum_ns\":(\\d+),.*\"max_ns\":(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        table = Map.of("count", Long.parseLong(m.group(1)), "sum", Long.parseLong(m.group(2)),
            "max", Long.parseLong(m.group(3)));
      }
    }
    assertEquals(4, streamed.size(), t.out());
    List<RecordedEvent> events = events(calls, "gotrace.GoCall");
    assertEquals(table.get("count"), (long) events.size(), "one event per call the kernel counted");
    List<Long> durations = events.stream().map(e -> e.getDuration().toNanos()).toList();
    assertEquals(streamed, durations, "each event lasts the streamed latency");
    assertEquals(table.get("sum"), durations.stream().mapToLong(Long::longValue).sum());
    assertEquals(table.get("max"), durations.stream().mapToLong(Long::longValue).max().orElseThrow());
    for (RecordedEvent e : events) {
      assertEquals("gotrace.dev/testdata/server/main.go:72", e.getString("exitSite"));
      assertAtCallTime(e);
    }

    Path summary = tmp.resolve("summary.jfr");
    Traced s = trace(2, "latency", "main.prepareAnswer", "main.handler", "--duration", "3s", "--jfr",
        summary.toString());
    List<RecordedEvent> rows = events(summary, "gotrace.LatencySummary");
    assertEquals(2, rows.size());
    String text = s.out();
    for (RecordedEvent e : rows) {
      assertEquals(2, e.getLong("calls"), e.toString());
      Matcher m = Pattern.compile(Pattern.quote(e.getString("function")) + "  count 2  mean \\S+  p50 \\S+  p90 \\S+"
          + "  p99 \\S+  max (\\S+)").matcher(text);
      assertTrue(m.find(), text);
      assertEquals(m.group(1), dev.gotrace.cli.render.HistogramRenderer.duration(e.getDuration("max").toNanos()));
      assertTrue(e.getDuration().compareTo(Duration.ofSeconds(2)) > 0, "the summary spans the traced time");
    }
  }

  /** The event starts where its startEpochNanos says the call started (within the calibration slack). */
  private static void assertAtCallTime(RecordedEvent e) {
    long start = e.getLong("startEpochNanos");
    Instant at = e.getStartTime();
    long got = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    assertTrue(Math.abs(got - start) < SLACK_NS, "event at " + at + ", call at " + Instant.ofEpochSecond(0, start));
  }

  private static List<RecordedEvent> events(Path file, String type) throws Exception {
    List<RecordedEvent> out = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getEventType().getName().equals(type)) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparing(RecordedEvent::getStartTime));
    return out;
  }

  /** What a gotrace process printed. */
  private record Traced(String out, String err) {}

  /**
   * Runs gotrace in a JVM of its own, as a user does (one recording per process), with BINARY and
   * -p added after the command's arguments, while making n requests to a fresh server.
   */
  private static Traced trace(int n, String command, String... args) throws Exception {
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    Process gotrace = null;
    try {
      String base = server.base();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> all = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), command, bin.toString()));
      all.addAll(List.of(args));
      all.addAll(List.of("-p", Long.toString(server.pid())));
      Path dir = Files.createTempDirectory("gotrace-jfr");
      Path out = dir.resolve("out");
      Path err = dir.resolve("err");
      gotrace = new ProcessBuilder(all).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(err).contains("Ctrl-C to end") && gotrace.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(Files.readString(err).contains("Ctrl-C to end"), "not attached: " + Files.readString(err));
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < n; i++) {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/?name=jfr&year=2021")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      assertTrue(gotrace.waitFor(30, TimeUnit.SECONDS), "gotrace did not end");
      assertEquals(0, gotrace.exitValue(), Files.readString(err));
      return new Traced(Files.readString(out), Files.readString(err));
    } finally {
      if (gotrace != null) {
        gotrace.destroyForcibly();
      }
      server.close();
    }
  }
}
