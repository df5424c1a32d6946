package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.cli.FuncsLiveCliTest.Running;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --where} end to end, as root: requests with known values go to the demo server (funcs)
 * and the workload calls its typed functions a known number of times (args); each run's printed
 * calls are counted exactly. Stack ABI (Go 1.15), register ABI (1.24, 1.27), stripped builds with
 * positional typed roots.
 */
class WhereLiveCliTest {
  /** name and year of each request; the site check answers 200. */
  private static final String[][] REQUESTS = {
    {"x", "2020"}, {"Go", "2021"}, {"Gopher", "2022"}, {"y", "2021"}, {"x", "2023"}, {"GopherCon", "2019"}
  };

  /** The printed calls of main.prepareAnswer while the requests run, with {@code where}. */
  private static long prepareAnswerCalls(GoServer server, String where) throws Exception {
    Running g = Running.start("funcs", "main.prepareAnswer", "-p", Long.toString(server.pid()), "--where", where,
        "--duration", "3s");
    g.awaitAttached();
    HttpClient client = HttpClient.newHttpClient();
    for (String[] r : REQUESTS) {
      HttpResponse<String> resp = client.send(HttpRequest.newBuilder(
          URI.create(server.base() + "/?name=" + r[0] + "&year=" + r[1])).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, resp.statusCode());
      assertTrue(resp.body().contains("answered 200"), resp.body());
    }
    assertEquals(0, g.exit().get(30, TimeUnit.SECONDS), g.err().toString());
    long printed = g.out().toString().lines().filter(l -> l.contains(" main.prepareAnswer ")).count();
    String err = g.err().toString();
    assertTrue(printed == 0 ? err.contains("0 calls in ") : err.contains(printed + " calls in "), err);
    return printed;
  }

  @Test
  void funcsOnTheServerPrintsExactlyTheCallsThatPass() throws Exception {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.24", "go1.27")) {
      try (GoServer server = GoServer.start(TestBinaries.get(series, "amd64", "default", "server").path())) {
        assertEquals(2, prepareAnswerCalls(server, "name == \"x\""), series);
        assertEquals(3, prepareAnswerCalls(server, "hasPrefix(name, \"Go\")"), series);
        assertEquals(4, prepareAnswerCalls(server, "year >= 2021 && status == 200"), series);
        assertEquals(1, prepareAnswerCalls(server, "!(year > 2019) || name == \"Gop\""), series);
      }
    }
  }

  @Test
  void strippedServersTakePositionalTypedRootsAndRefuseNames() throws Exception {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.24", "go1.27")) {
      try (GoServer server = GoServer.start(TestBinaries.get(series, "amd64", "stripped", "server").path())) {
        assertEquals(4, prepareAnswerCalls(server, "arg1:int >= 2021"), series);
        assertEquals(2, prepareAnswerCalls(server, "arg1:int == 2021 && arg2:int == 200"), series);
        CliRun named = CliRun.of("funcs", "main.prepareAnswer", "-p", Long.toString(server.pid()), "--where",
            "year >= 2021", "--duration", "1s");
        assertEquals(ExitCode.EXPRESSION.code(), named.exitCode(), named.err());
        List<String> lines = named.err().lines().filter(l -> !l.startsWith("gotrace: note:")).toList();
        assertEquals("gotrace: year: a named access needs DWARF, which main.prepareAnswer's binary has not"
            + " (column 1 of 'year >= 2021')", lines.get(0), named.err());
        assertEquals("hint: use a positional typed root like arg1:int", lines.get(1), named.err());
      }
    }
  }

  /** The calls and returns args printed of {@code fn} in the workload, run with {@code -n n}. */
  private static long[] argsOf(String series, String variant, String fn, String where, int n) {
    String wl = TestBinaries.get(series, "amd64", variant, "workload").path().toString();
    CliRun r = CliRun.of("args", fn, "--where", where, "--", wl, "-n", Integer.toString(n));
    assertEquals(0, r.exitCode(), r.err());
    long calls = r.out().lines().filter(l -> l.matches(".*  " + java.util.regex.Pattern.quote(fn) + "\\(.*")).count();
    long returns = r.out().lines().filter(l -> l.contains("← " + fn + " ")).count();
    assertTrue(r.err().contains(calls + " calls, " + returns + " returns in "), r.err());
    return new long[] {calls, returns};
  }

  @Test
  void argsPrintsThePassingCallsAndOnlyTheirReturns() {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.24", "go1.27")) {
      assertEquals(List.of(3L, 3L), list(argsOf(series, "default", "main.withPointer", "p.X == 5", 3)), series);
      assertEquals(List.of(0L, 0L), list(argsOf(series, "default", "main.withPointer", "p.X == 6 || p == nil", 3)),
          series);
      assertEquals(List.of(3L, 3L), list(argsOf(series, "default", "main.withString", "s == \"GopherConRussia2020\"", 3)),
          series);
      assertEquals(List.of(0L, 0L), list(argsOf(series, "default", "main.withString", "hasSuffix(s, \"2021\")", 3)),
          series);
      // withError(r%2 == 1) for r = 0..3: two calls fail, and print, with their returns.
      assertEquals(List.of(2L, 2L), list(argsOf(series, "default", "main.withError", "fail", 4)), series);
      assertEquals(List.of(3L, 3L), list(argsOf(series, "default", "main.multiResult", "a >= 1 && len(s) == 2", 4)),
          series);
    }
    assertEquals(List.of(3L, 3L), list(argsOf("go1.24", "stripped", "main.multiResult", "arg0:int >= 1", 4)));
    assertEquals(List.of(2L, 2L), list(argsOf("go1.15", "stripped", "main.withError", "arg0:bool", 4)));
  }

  private static List<Long> list(long[] v) {
    return List.of(v[0], v[1]);
  }
}
