package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code gotrace funcs} end to end, as root: the server under requests, and a launched command. */
class FuncsLiveCliTest {
  static final int N = 5;

  /** Runs gotrace in a thread; the writers can be read while it runs. */
  record Running(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
    static Running start(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));
      return new Running(exit, out, err);
    }

    void awaitAttached() throws InterruptedException {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!err.toString().contains("Ctrl-C to end") && !exit.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(err.toString().contains("Ctrl-C to end"), "not attached: " + err + out);
    }
  }

  static Map<String, Object> parse(JsonFactory f, String line) throws IOException {
    Map<String, Object> m = new HashMap<>();
    try (JsonParser p = f.createParser(line)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.getCurrentName();
        JsonToken v = p.nextToken();
        m.put(k, v == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText());
      }
    }
    return m;
  }

  @Test
  void serverCallsAsNdjsonWithSummaryAndPidTarget() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    try {
      String base = server.base();
      Running g = Running.start("funcs", "main.*", "-p", Long.toString(server.pid()), "--json",
          "--count", Integer.toString(5 * N), "--duration", "60s");
      g.awaitAttached();
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < N; i++) {
        HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(base + "/?name=G&year=" + i)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
      }
      assertEquals(0, g.exit().get(30, TimeUnit.SECONDS), g.err().toString());
      JsonFactory f = new JsonFactory();
      Map<String, Long> counts = new TreeMap<>();
      long now = System.currentTimeMillis() * 1_000_000L;
      String[] lines = g.out().toString().split("\n");
      assertEquals(5 * N, lines.length, g.out().toString());
      for (String line : lines) {
        Map<String, Object> e = parse(f, line);
        assertEquals("call", e.get("event"));
        assertEquals((long) server.pid(), e.get("pid"));
        assertTrue((Long) e.get("goid") > 0, line);
        assertTrue((Long) e.get("tid") > 0, line);
        assertTrue(Math.abs(now - (Long) e.get("ts")) < 120_000_000_000L, "ts near now: " + line);
        if (e.get("func").equals("main.prepareAnswer")) {
          assertEquals("main.handler", e.get("caller"));
          assertTrue(((String) e.get("callerFile")).endsWith("main.go"), line);
          assertEquals(51L, e.get("callerLine"));
        }
        counts.merge((String) e.get("func"), 1L, Long::sum);
      }
      Map<String, Long> expected = new TreeMap<>();
      for (String fn : List.of("main.handler", "main.checkSite", "main.checkSite.func1", "main.prepareAnswer",
          "main.ping")) {
        expected.put(fn, (long) N);
      }
      assertEquals(expected, counts);
      String err = g.err().toString();
      assertTrue(err.contains((5 * N) + " calls in ") && err.contains(", 0 dropped"), err);
      assertTrue(err.matches("(?s).*\\n\\s+" + N + "  main.handler\\n.*"), err);
    } finally {
      server.close();
    }
  }

  @Test
  void launchedCommandIsTracedFromItsStartAndItsExitCodeKept() throws Exception {
    TestBinaries.requireRoot();
    String wl = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun r = CliRun.of("funcs", "main.main", "main.recurse", "main.printCounts", "--", wl, "-n", "2");
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Long> printed = WorkloadCounts.parse(r.out());
    long recurse = r.out().lines().filter(l -> l.matches(".*\\bmain\\.recurse\\b.*main\\.(recurse|round).*")).count();
    assertEquals(printed.get("main.recurse"), recurse, r.out());
    assertEquals(1, r.out().lines().filter(l -> l.matches("\\S+\\s+\\d+\\s+1\\s+main\\.main\\s+runtime\\.main.*")).count(),
        r.out());
    assertTrue(r.err().contains((printed.get("main.recurse") + 2) + " calls in "), r.err());
    assertFalse(r.out().contains(" calls in "), "the summary is on stderr, stdout has only the calls: " + r.out());

    CliRun bad = CliRun.of("funcs", "main.main", "--", wl, "-mode", "nonsense");
    assertEquals(2, bad.exitCode(), "the command's own exit code: " + bad.err());
    assertTrue(bad.err().contains("workload: unknown mode"), bad.err());
  }
}
