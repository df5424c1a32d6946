package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.gotrace.cli.FuncsLiveCliTest.Running;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code gotrace goroutines} end to end, as root: the server under requests, and a launched workload. */
class GoroutinesLiveCliTest {
  static final int N = 5;

  @Test
  void serverLaunchesAsNdjsonWithPidTarget() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    try {
      String base = server.base();
      Running g = Running.start("goroutines", "-p", Long.toString(server.pid()), "--json", "--duration", "4s");
      g.awaitAttached();
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < N; i++) {
        HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(base + "/?name=G&year=" + i)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
      }
      assertEquals(0, g.exit().get(30, TimeUnit.SECONDS), g.err().toString());
      JsonFactory f = new JsonFactory();
      Set<Long> newIds = new HashSet<>();
      int closures = 0;
      for (String line : g.out().toString().split("\n")) {
        Map<String, Object> e = FuncsLiveCliTest.parse(f, line);
        assertEquals("launch", e.get("event"), line);
        assertEquals((long) server.pid(), e.get("pid"));
        if (e.get("func").equals("main.checkSite.func1")) {
          closures++;
          assertEquals("main.checkSite.func1", e.get("runs"));
          assertEquals("main.checkSite", e.get("createdBy"));
          assertEquals(58L, e.get("line"));
          assertTrue(((String) e.get("file")).endsWith("main.go"), line);
          assertTrue((Long) e.get("goid") > 0, line);
          newIds.add((Long) e.get("newGoid"));
        }
      }
      assertEquals(N, closures, g.out().toString());
      assertEquals(N, newIds.size(), "distinct new ids: " + g.out());
      String err = g.err().toString();
      assertTrue(err.contains(", 0 lost"), err);
      assertTrue(err.matches("(?s).*launches per function:\\n.*\\s" + N + "  main\\.checkSite\\.func1\\n.*"), err);
      assertTrue(err.matches("(?s).*launches per creation site:\\n.*\\s" + N + "  main\\.checkSite at main\\.go:58\\n.*"),
          err);
    } finally {
      server.close();
    }
  }

  @Test
  void launchedWorkloadShowsEveryWorkerLaunch() throws Exception {
    TestBinaries.requireRoot();
    // Stripped builds of the oldest and a pre-1.25 Go, and Go 1.27 as Debian builds it (distro).
    for (String[] b : new String[][] {{"go1.15", "stripped"}, {"go1.24", "stripped"}, {"go1.27", "distro"}}) {
      String wl = TestBinaries.get(b[0], "amd64", b[1], "workload").path().toString();
      CliRun r = CliRun.of("goroutines", "--", wl, "-n", "3", "-goroutines", "9");
      assertEquals(0, r.exitCode(), r.err());
      long workers = WorkloadCounts.parse(r.out()).get("main.worker");
      assertEquals(27, workers, r.out());
      long lines = r.out().lines()
          .filter(l -> l.matches(".* g\\d+ → go main\\.worker( \\(via main\\.spawn\\.gowrap1\\))?  created by main\\.spawn"
              + " at main\\.go:166  new g\\d+"))
          .count();
      assertEquals(workers, lines, r.out());
      assertTrue(r.err().matches("(?s).*launches per function:\\n.*\\s27  main\\.worker\\n.*"), r.err());
      assertTrue(r.err().matches("(?s).*\\s27  main\\.spawn at main\\.go:166\\n.*"), r.err());
    }
  }

  /**
   * --where on the launched function: the workers' launches and nothing else, on the stack ABI,
   * the register ABI with go wrappers, and Debian's PIE build of Go 1.27 (the load bias is
   * taken off in the kernel); with --exits, the ends of those goroutines only.
   */
  @Test
  void whereOnTheLaunchedFunctionShowsOnlyThoseLaunches() throws Exception {
    TestBinaries.requireRoot();
    for (String[] b : new String[][] {{"go1.15", "stripped"}, {"go1.24", "default"}, {"go1.27", "distro"}}) {
      String wl = TestBinaries.get(b[0], "amd64", b[1], "workload").path().toString();
      CliRun r = CliRun.of("goroutines", "--exits", "--where", "fn == \"main.worker\"", "--", wl, "-n", "3",
          "-goroutines", "9");
      assertEquals(0, r.exitCode(), r.err());
      List<String> launches = r.out().lines().filter(l -> l.contains(" → go ")).toList();
      assertEquals(27, launches.size(), r.out());
      assertTrue(launches.stream().allMatch(l -> l.contains(" → go main.worker")), r.out());
      long ends = r.out().lines().filter(l -> l.matches(".* g\\d+ ends .*")).count();
      assertEquals(27, r.out().lines().filter(l -> l.matches(".* g\\d+ ends  \\(ran main\\.worker for .*")).count(),
          r.out());
      assertEquals(27, ends, "only the ends of the goroutines it showed: " + r.out());
      assertTrue(r.err().contains("27 goroutine launches, 27 ends in "), r.err());

      CliRun none = CliRun.of("goroutines", "--where", "hasPrefix(fn, \"runtime.\") && fn == \"main.worker\"", "--",
          wl, "-n", "1");
      assertEquals(ExitCode.EXPRESSION.code(), none.exitCode(), none.err());
      assertEquals("gotrace: no function of workload passes it (fn is the launched function's name, e.g. fn =="
          + " \"main.worker\") (column 1 of 'hasPrefix(fn, \"runtime.\") && fn == \"main.worker\"')",
          none.err().lines().findFirst().orElse(""));
    }
  }

  @Test
  void exitsReportEachWorkerEndWithItsLifetime() throws Exception {
    TestBinaries.requireRoot();
    for (String series : new String[] {"go1.15", "go1.24", "go1.27"}) {
      String wl = TestBinaries.get(series, "amd64", "default", "workload").path().toString();
      CliRun r = CliRun.of("goroutines", "--exits", "--", wl, "-n", "2", "-goroutines", "8");
      assertEquals(0, r.exitCode(), r.err());
      assertEquals(16L, WorkloadCounts.parse(r.out()).get("main.worker"), r.out());
      long ends = r.out().lines()
          .filter(l -> l.matches(".* g\\d+ ends  \\(ran main\\.worker for [0-9.]+ (µs|ms|s)\\)")).count();
      assertEquals(16, ends, r.out());
      assertTrue(r.err().matches("(?s).*\\d+ goroutine launches, \\d+ ends in .*"), r.err());
    }
  }

  /**
   * Launches and ends come from two ring buffers; printed, they are in time order: every line's
   * ts is at or after the one before, and each end comes after its goroutine's launch.
   */
  @Test
  void launchesAndEndsArePrintedInTimeOrder() throws Exception {
    TestBinaries.requireRoot();
    String wl = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun r = CliRun.of("goroutines", "--exits", "--json", "--", wl, "-n", "4", "-goroutines", "25");
    assertEquals(0, r.exitCode(), r.err());
    long previous = 0;
    int launches = 0;
    int ends = 0;
    Set<Long> launched = new HashSet<>();
    for (String line : r.out().lines().filter(l -> l.startsWith("{")).toList()) {
      long ts = Long.parseLong(field(line, "ts"));
      assertTrue(ts >= previous, "ts " + ts + " after " + previous + ": " + line);
      previous = ts;
      String event = field(line, "event");
      if (event.equals("launch")) {
        launches++;
        launched.add(Long.parseLong(field(line, "newGoid")));
      } else if (event.equals("exit") && field(line, "runs").equals("main.worker")) {
        ends++;
        assertTrue(launched.contains(Long.parseLong(field(line, "goid"))), "the end after its launch: " + line);
      }
    }
    assertTrue(launches >= 100, "launches: " + launches);
    assertEquals(100, ends, r.out());
  }

  /** A top-level field of one NDJSON line: a number, or a string without escapes. */
  private static String field(String line, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(?:\"([^\"]*)\"|(-?\\d+))")
        .matcher(line);
    assertTrue(m.find(), name + " in " + line);
    return m.group(1) != null ? m.group(1) : m.group(2);
  }
}
