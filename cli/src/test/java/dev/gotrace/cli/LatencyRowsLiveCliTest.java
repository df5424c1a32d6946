package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which functions the latency table lists, as root on a launched workload: those with calls by
 * default and a line counting the others, every one with {@code --all}, the most called with
 * {@code --top N}; and Ctrl-C during {@code --duration} in gotrace's own JVM: the table, with the
 * server's exact counts, and exit code 130.
 */
class LatencyRowsLiveCliTest {
  @TempDir Path tmp;

  private static String workload() {
    return TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
  }

  private static List<String> counted(String out) {
    return out.lines().filter(l -> l.matches("\\S+  count \\d+  .*")).toList();
  }

  @Test
  void functionsWithoutCallsAreCountedNotListedUnlessAll() {
    TestBinaries.requireRoot();
    String[] run = {"--", workload(), "-mode", "all", "-n", "2", "-goroutines", "2"};
    CliRun r = CliRun.of(concat(new String[] {"latency", "main.recurse", "main.sleepFor"}, run));
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("main.recurse"), counted(r.out()).stream().map(l -> l.split(" ")[0]).toList(), r.out());
    assertTrue(r.out().contains("main.recurse  count 4002  mean "), r.out());
    assertTrue(r.out().strip().endsWith("… 1 function with no calls not shown (--all shows them)"), r.out());

    CliRun all = CliRun.of(concat(new String[] {"latency", "--all", "main.recurse", "main.sleepFor"}, run));
    assertEquals(0, all.exitCode(), all.err());
    assertTrue(all.out().contains("main.recurse  count 4002  mean "), all.out());
    assertTrue(all.out().contains("main.sleepFor  count 0  mean 0ns"), all.out());
    assertTrue(!all.out().contains("not shown"), all.out());
  }

  @Test
  void topKeepsTheMostCalledAndJsonCountsWhatItLeftOut() {
    TestBinaries.requireRoot();
    String[] run = {"--", workload(), "-mode", "all", "-n", "2", "-goroutines", "2"};
    CliRun every = CliRun.of(concat(new String[] {"latency", "main.*"}, run));
    assertEquals(0, every.exitCode(), every.err());
    List<String> rows = counted(every.out());
    assertTrue(rows.size() > 10, every.out());
    assertTrue(rows.stream().noneMatch(l -> l.contains("  count 0  ")), "no zero rows by default: " + every.out());

    CliRun top = CliRun.of(concat(new String[] {"latency", "--top", "2", "main.*"}, run));
    assertEquals(0, top.exitCode(), top.err());
    List<String> two = counted(top.out());
    assertEquals(2, two.size(), top.out());
    // main.recurse (4002 calls) is the most called; the rest are cut, and the line says how many
    assertTrue(two.get(0).startsWith("main.recurse  count 4002  "), top.out());
    Matcher m = Pattern.compile("… (?:(\\d+) functions? with no calls and )?(\\d+) more beyond --top 2 not shown")
        .matcher(top.out());
    assertTrue(m.find(), top.out());
    assertEquals(rows.size() - 2, Integer.parseInt(m.group(2)), top.out());

    CliRun json = CliRun.of(concat(new String[] {"latency", "--json", "main.recurse", "main.sleepFor"}, run));
    assertEquals(0, json.exitCode(), json.err());
    String t = json.out();
    assertTrue(t.contains("\"not_shown\":{\"without_calls\":1,\"beyond_top\":0}"), t);
    assertTrue(t.contains("\"function\":\"main.recurse\",\"count\":4002,"), t);
    assertTrue(!t.contains("main.sleepFor"), t);
    CliRun jsonAll = CliRun.of(concat(new String[] {"latency", "--json", "--all", "main.recurse", "main.sleepFor"}, run));
    assertTrue(jsonAll.out().contains("\"function\":\"main.sleepFor\",\"count\":0,"), jsonAll.out());
    assertTrue(jsonAll.out().contains("\"not_shown\":{\"without_calls\":0,\"beyond_top\":0}"), jsonAll.out());
  }

  @Test
  void topBelowOneIsABadCommandLine() {
    CliRun r = CliRun.of("latency", "--top", "0", "main.x", "--", "/bin/true");
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    assertTrue(r.err().startsWith("gotrace: --top must be at least 1, not 0"), r.err());
  }

  @Test
  void ctrlCDuringDurationPrintsTheTableWithExactCountsAndExits130() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    Process gotrace = null;
    try {
      Path out = tmp.resolve("out");
      Path err = tmp.resolve("err");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      gotrace = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "latency", bin.toString(), "main.*", "-p", Long.toString(server.pid()), "--duration", "120s"))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(err).contains("Ctrl-C to end") && gotrace.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(Files.readString(err).contains("Ctrl-C to end"), Files.readString(err));
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 3; i++) {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(server.base() + "/?name=x")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(gotrace.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(gotrace.waitFor(30, TimeUnit.SECONDS), "gotrace ended after SIGINT");
      assertEquals(128 + 2, gotrace.exitValue(), "ended by SIGINT: " + Files.readString(err));
      String text = Files.readString(out);
      assertTrue(text.startsWith("Latency after "), text);
      assertTrue(text.contains("\nmain.handler  count 3  mean "), text);
      assertTrue(text.contains("\nmain.prepareAnswer  count 3  mean "), text);
      assertTrue(!text.contains("  count 0  "), text);
      assertTrue(text.matches("(?s).*\\n… \\d+ functions? with no calls not shown \\(--all shows them\\)\\n$"), text);
      assertTrue(server.isAlive());
      assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(server.base() + "/?name=y")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode(), "detached: the server keeps answering");
    } finally {
      if (gotrace != null) {
        gotrace.destroyForcibly();
      }
      server.close();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
