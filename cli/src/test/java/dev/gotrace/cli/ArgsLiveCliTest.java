package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code gotrace args} end to end, as root: the server under known requests, text and JSON; a launched workload. */
class ArgsLiveCliTest {
  static final int N = 6;
  static final String ANSWER = "Hello, GopherConRussia2020! The year is 2021 and the site answered 200.\n";

  /** Runs gotrace args on a fresh server while N requests are made; returns what it printed. */
  static FuncsLiveCliTest.Running traceServer(Path bin, String... options) throws Exception {
    GoServer server = GoServer.start(bin);
    try {
      String base = server.base();
      List<String> args = new ArrayList<>(List.of("args", "main.prepareAnswer", "-p",
          Long.toString(server.pid()), "--count", Integer.toString(2 * N), "--duration", "60s"));
      args.addAll(List.of(options));
      FuncsLiveCliTest.Running g = FuncsLiveCliTest.Running.start(args.toArray(String[]::new));
      g.awaitAttached();
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < N; i++) {
        HttpResponse<String> resp = client.send(HttpRequest.newBuilder(
            URI.create(base + "/?name=GopherConRussia2020&year=2021")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
        assertEquals(ANSWER, resp.body());
      }
      assertEquals(0, g.exit().get(30, TimeUnit.SECONDS), g.err().toString());
      return g;
    } finally {
      server.close();
    }
  }

  @Test
  void serverTextShowsEachCallAndItsReturn() throws Exception {
    TestBinaries.requireRoot();
    FuncsLiveCliTest.Running g = traceServer(TestBinaries.demoServer());
    List<String> lines = g.out().toString().lines().toList();
    assertEquals(2 * N, lines.size(), g.out().toString());
    for (int i = 0; i < N; i++) {
      assertTrue(lines.get(2 * i).matches("\\S+  pid \\d+  goid \\d+  "
          + "main\\.prepareAnswer\\(name=\"GopherConRussia2020\", year=2021, status=200\\)"), lines.get(2 * i));
      assertTrue(lines.get(2 * i + 1).matches("\\S+  pid \\d+  goid \\d+  ← main\\.prepareAnswer = "
          + "\"Hello, GopherConRussia2020! The year is 2021 and the site answer\"\\.\\.\\. \\(len 72\\) \\(\\d+(µs|\\.\\d\\dms|\\.\\d\\ds)\\)"),
          lines.get(2 * i + 1));
    }
    assertTrue(g.err().toString().contains(N + " calls, " + N + " returns in "), g.err().toString());
  }

  @Test
  void serverJsonWithALargerStrsizeHasTheWholeAnswer() throws Exception {
    TestBinaries.requireRoot();
    FuncsLiveCliTest.Running g = traceServer(TestBinaries.get("go1.15", "amd64", "default", "server").path(),
        "--json", "--strsize", "128");
    List<String> lines = g.out().toString().lines().toList();
    assertEquals(2 * N, lines.size(), g.out().toString());
    for (int i = 0; i < N; i++) {
      Map<?, ?> call = (Map<?, ?>) tree(lines.get(2 * i));
      assertEquals("call", call.get("event"));
      assertEquals("main.prepareAnswer", call.get("func"));
      assertEquals(List.of(Map.of("name", "name", "type", "string", "value", "\"GopherConRussia2020\""),
          Map.of("name", "year", "type", "int", "value", "2021"),
          Map.of("name", "status", "type", "int", "value", "200")), call.get("args"));
      Map<?, ?> ret = (Map<?, ?>) tree(lines.get(2 * i + 1));
      assertEquals("return", ret.get("event"));
      assertEquals(call.get("goid"), ret.get("goid"));
      assertEquals(List.of(Map.of("name", "~r3", "type", "string", "value", "\"" + ANSWER.replace("\n", "\\n") + "\"")),
          ret.get("results"));
      assertTrue((Long) ret.get("latencyNs") > 0, lines.get(2 * i + 1));
    }
  }

  /** A JSON text as maps, lists, strings and longs. */
  static Object tree(String json) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(json)) {
      p.nextToken();
      return value(p);
    }
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, Object> m = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.getCurrentName();
        p.nextToken();
        m.put(k, value(p));
      }
      return m;
    }
    if (t == JsonToken.START_ARRAY) {
      List<Object> l = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        l.add(value(p));
      }
      return l;
    }
    return t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText();
  }

  /**
   * Every stripped build of the matrix: arguments in hex, as many words as the pclntab says. The
   * register ABI (Go 1.17+): one integer register per word of the argument info, e.g.
   * multiResult(a int, s string) has three (a, the string's pointer and length) and withBool one
   * byte; manyArgs' twelve fill the nine registers. The stack ABI (Go 1.15): the args size's
   * words from 8(SP), the arguments then the results: multiResult has 8 (3 + 5), manyArgs 13, of
   * which the first 10 are shown.
   */
  @Test
  void strippedBuildsShowTheArgumentWordsThePclntabCounts() throws Exception {
    TestBinaries.requireRoot();
    List<TestBinary> stripped = TestBinaries.where(b -> b.variant().equals("stripped") && b.arch().equals("amd64")
        && b.program().equals("workload"));
    assertTrue(stripped.stream().anyMatch(b -> b.series().equals("go1.15")), stripped.toString());
    assertTrue(stripped.size() >= 5, stripped.toString());
    String nine = "main.manyArgs(arg0=0x1, arg1=0x2, arg2=0x3, arg3=0x4, arg4=0x5, arg5=0x6, arg6=0x7, arg7=0x8, arg8=0x9";
    for (TestBinary b : stripped) {
      boolean registers = !b.series().equals("go1.15");
      CliRun r = CliRun.of("args", "main.multiResult", "main.withBool", "main.manyArgs", "--", b.path().toString(),
          "-n", "1");
      String label = b.series() + ": ";
      assertEquals(0, r.exitCode(), label + r.err());
      String note = r.err().lines().filter(l -> l.contains("has no DWARF")).findFirst().orElse("");
      assertTrue(note.contains(registers ? "from the integer argument registers" : "stack argument area"), label + note);
      List<String> lines = r.out().lines().toList();
      if (registers) {
        assertOneLine(lines, label, "main\\.multiResult\\(arg0=0x0, arg1=0x[0-9a-f]{6,}, arg2=0x2\\)");
        assertOneLine(lines, label, "main\\.withBool\\(arg0=0x1\\)");
        assertOneLine(lines, label, java.util.regex.Pattern.quote(nine + ")"));
        assertTrue(r.err().contains("gotrace: note: main.manyArgs: 9 of its 10 or more argument words are shown"),
            label + r.err());
      } else {
        assertOneLine(lines, label, "main\\.multiResult\\(arg0=0x0, arg1=0x[0-9a-f]{6,}, arg2=0x2(, arg\\d=0x[0-9a-f]+){5}\\)");
        assertOneLine(lines, label, "main\\.withBool\\(arg0=0x(?:[0-9a-f]*0)?1, arg1=0x[0-9a-f]+\\)");
        assertOneLine(lines, label, java.util.regex.Pattern.quote(nine + ", arg9=0xa)"));
        assertTrue(r.err().contains("gotrace: note: main.manyArgs: 10 of its 13 argument words are shown"),
            label + r.err());
      }
    }
  }

  /** Exactly one line ends with a call matching {@code call}. */
  private static void assertOneLine(List<String> lines, String label, String call) {
    assertEquals(1, lines.stream().filter(l -> l.matches(".*  " + call)).count(), label + call + " in\n"
        + String.join("\n", lines));
  }

  @Test
  void launchedWorkloadStringSlicesInBothAbis() throws Exception {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.24", "go1.15")) {
      String wl = TestBinaries.get(series, "amd64", "default", "workload").path().toString();
      CliRun r = CliRun.of("args", "flag.(*FlagSet).Parse", "--", wl, "-n", "1", "-depth", "5", "-goroutines", "2");
      assertEquals(0, r.exitCode(), r.err());
      List<String> calls = r.out().lines().filter(l -> l.contains("flag.(*FlagSet).Parse(")).toList();
      assertEquals(1, calls.size(), r.out());
      assertTrue(calls.get(0).matches(".*  goid 1  flag\\.\\(\\*FlagSet\\)\\.Parse\\(f=0x[0-9a-f]+, "
          + "arguments=\\[\\]string\\{\"-n\", \"1\", \"-depth\", \"5\", \\.\\.\\.\\} \\(len=6 cap=6\\)\\)"),
          series + ": " + calls.get(0));
      assertEquals(1, r.out().lines().filter(l -> l.contains("← flag.(*FlagSet).Parse = nil")).count(), r.out());
    }
  }

  @Test
  void refusals() {
    String demo = TestBinaries.demoServer().toString();
    FuncsCommandTest.refused(CliRun.of("args", demo, "main.prepareAnswer", "--strsize", "5000"), ExitCode.USAGE,
        "--strsize 5000 is out of range", "4096");
    FuncsCommandTest.refused(CliRun.of("args", demo, "main.prepareAnswr"), ExitCode.NO_MATCH, "main.prepareAnswr",
        "did you mean main.prepareAnswer");
    assertTrue(CliRun.of("--help").out().contains("  args "));
  }
}
