package dev.gotrace.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The test programs themselves behave as the tests that trace them assume. */
class TestProgramsTest {

  static Stream<TestBinary> nativeWorkloads() {
    return TestBinaries.where(b -> b.arch().equals("amd64") && b.program().equals("workload"))
        .stream();
  }

  static Stream<TestBinary> nativeServers() {
    return TestBinaries.where(b -> b.arch().equals("amd64") && b.program().equals("server"))
        .stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeWorkloads")
  void workloadPrintsExactCallCounts(TestBinary b) throws Exception {
    int rounds = 3;
    int depth = 500;
    Map<String, Long> counts = WorkloadCounts.parse(
        run(List.of(b.path().toString(), "-n", String.valueOf(rounds), "-depth", String.valueOf(depth),
            "-goroutines", "7")));
    Map<String, Long> expected = new TreeMap<>();
    expected.put("main.recurse", (long) rounds * (depth + 1));
    expected.put("main.mayPanic", 3L * rounds);
    expected.put("main.spawn", (long) rounds);
    expected.put("main.worker", 7L * rounds);
    expected.put("main.Point.Norm1", (long) rounds);
    expected.put("main.(*Counter).Inc", 3L * rounds);
    expected.put("main.makeAdder", (long) rounds);
    expected.put("main.makeAdder.func1", 2L * rounds);
    expected.put("main.manyArgs", (long) rounds);
    for (String f : List.of("withString", "withBytes", "withInts", "withStruct", "withPointer",
        "withInterface", "withError", "withBool", "withFloat", "multiResult", "withBadMemory")) {
      expected.put("main." + f, (long) rounds);
    }
    expected.put("main.add", 2L * rounds);
    expected.put("main.sleepFor", 0L);
    expected.put("main.hot", 0L);
    if (b.goMinor() >= 18) {
      expected.put("main.Map[...]", (long) rounds);
      expected.put("main.Sum[...]", 2L * rounds);
    }
    assertEquals(expected, counts);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeWorkloads")
  void loopModeReportsNanosecondsPerCall(TestBinary b) throws Exception {
    String out = run(List.of(b.path().toString(), "-mode", "loop", "-n", "100000"));
    assertTrue(out.matches("(?s)ns/call \\d+\\.\\d\n.*"), out);
    assertEquals(100000L, WorkloadCounts.parse(out).get("main.hot"));
  }

  static Stream<TestBinary> looks() {
    return TestBinaries.where(b -> b.program().equals("look")).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("looks")
  void lookPrintsTheCountsItsDocumentationPromises(TestBinary b) throws Exception {
    String out = run(List.of(b.path().toString(), "-n", "2", "-iters", "6", "-handles", "5",
        "-hist-n", "40"));
    Map<String, Long> expected = new TreeMap<>();
    expected.put("main.loop", 2L);
    expected.put("main.step", 12L);
    expected.put("main.useClampA", 4L);
    expected.put("main.useClampB", 6L);
    expected.put("main.handle", 10L);
    expected.put("main.size", 80L);
    expected.put("main.chainA", 6L);
    expected.put("main.chainB", 10L);
    expected.put("main.chainC", 14L);
    expected.put("main.mid", 10L);
    expected.put("main.leaf", 30L);
    assertEquals(expected, WorkloadCounts.parse(out));
    assertTrue(out.contains("\nrequests 10\n"), out);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nativeServers")
  void serverAnswersWithTheSiteStatus(TestBinary b) throws Exception {
    Process p = new ProcessBuilder(b.path().toString(), "-port", "0").redirectErrorStream(true).start();
    try {
      BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertTrue(line != null && line.startsWith("listening on http://127.0.0.1:"), String.valueOf(line));
      String base = line.substring("listening on ".length());
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> resp = http.send(
          HttpRequest.newBuilder(URI.create(base + "/?name=GopherConRussia2020&year=2021"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, resp.statusCode());
      assertEquals("Hello, GopherConRussia2020! The year is 2021 and the site answered 200.\n",
          resp.body());
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + cmd);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
