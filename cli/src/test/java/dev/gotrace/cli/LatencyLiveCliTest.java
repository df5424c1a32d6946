package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code gotrace latency} end to end on a launched workload: the workload's own output passes
 * through unchanged, its exit code is gotrace's, and the table's counts equal what it printed.
 */
class LatencyLiveCliTest {
  @TestFactory
  Stream<DynamicTest> launchedWorkloadText() {
    TestBinaries.requireRoot();
    return Stream.of("go1.24", "go1.15").map(series -> DynamicTest.dynamicTest(series, () -> {
      String bin = TestBinaries.get(series, "amd64", "default", "workload").path().toString();
      CliRun r = CliRun.of("latency", "main.recurse", "main.sleepFor", "--", bin, "-mode", "all", "-n", "2",
          "-goroutines", "2");
      assertEquals(0, r.exitCode(), r.err());
      Map<String, Long> printed = WorkloadCounts.parse(r.out());
      assertEquals(4002L, printed.get("main.recurse"));
      assertTrue(r.out().contains("main.recurse  count 4002  mean "), r.out());
      assertTrue(!r.out().contains("main.sleepFor  count"), "no calls, not listed: " + r.out());
      assertTrue(r.out().contains("percentiles estimated from log2 buckets"), r.out());
      assertTrue(r.out().lines().anyMatch(l -> l.matches("  \\[\\S+, \\S+\\) +\\d+ \\|@+ *\\|")), r.out());
      assertTrue(!r.out().contains("not in the numbers"), r.out());
      assertTrue(r.err().contains("Timing 2 functions"), r.err());
      System.out.println(r.out());
    }));
  }

  @Test
  void jsonFinalTable() throws Exception {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun r = CliRun.of("latency", "--json", "main.sleepFor", "--", bin, "-mode", "sleep", "-n", "5",
        "-sleep-ms", "20");
    assertEquals(0, r.exitCode(), r.err());
    // the workload's own output goes to stderr with --json, so stdout is one JSON object
    String t = r.out();
    assertEquals(1, t.lines().count(), t);
    assertTrue(t.startsWith("{\"type\":\"latency\","), t);
    assertTrue(t.contains("\"functions\":[{\"function\":\"main.sleepFor\",\"count\":5,"), t);
    assertTrue(number(t, "p50_ns") >= 20_000_000 && number(t, "max_ns") < 200_000_000, t);
    assertEquals(0, number(t, "unmatched_exits"));
    assertEquals(0, number(t, "never_exited"));
    assertTrue(r.err().contains("calls main.sleepFor 5"), r.err());
  }

  @Test
  void streamedCallsWithExactPercentilesAndMin() {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun all = CliRun.of("latency", "--calls", "main.sleepFor", "--", bin, "-mode", "sleep", "-n", "5",
        "-sleep-ms", "20");
    assertEquals(0, all.exitCode(), all.err());
    // each call is one line with its latency: at least the 20 ms slept (more on a loaded machine)
    Pattern call = Pattern.compile(".* main\\.sleepFor +(\\d+\\.\\d+)ms  at .*main\\.go:\\d+");
    List<Double> ms = all.out().lines().map(call::matcher).filter(Matcher::matches)
        .map(m -> Double.parseDouble(m.group(1))).toList();
    assertEquals(5, ms.size(), all.out());
    ms.forEach(v -> assertTrue(v >= 20, all.out()));
    Matcher p50 = Pattern.compile("  exact over 5 streamed calls: p50 (\\d+\\.?\\d*)ms").matcher(all.out());
    assertTrue(p50.find(), all.out());
    assertTrue(Double.parseDouble(p50.group(1)) >= 20, all.out());
    // --min 25ms: sleeps of 20 ms are not streamed, the table still counts them
    CliRun slow = CliRun.of("latency", "--min", "25ms", "main.sleepFor", "--", bin, "-mode", "sleep", "-n", "5",
        "-sleep-ms", "20");
    assertEquals(0, slow.exitCode(), slow.err());
    // a 20 ms sleep sometimes takes longer than 25 ms: whatever is streamed is at least that slow
    Pattern streamed = Pattern.compile(".* main\\.sleepFor +(\\d+\\.?\\d*)ms  at .*");
    slow.out().lines().map(streamed::matcher).filter(Matcher::matches)
        .forEach(m -> assertTrue(Double.parseDouble(m.group(1)) >= 25, m.group()));
    assertTrue(slow.out().contains("main.sleepFor  count 5  "), slow.out());
    assertTrue(!slow.out().contains("exact over"), slow.out());
    System.out.println(all.out());
  }

  @Test
  void everyMainFunctionCountsWhatTheWorkloadPrints() {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    // --all: the functions the workload counts 0 of are listed with count 0 too
    CliRun r = CliRun.of("latency", "--all", "--verbose", "main.*", "--", bin, "-n", "2", "-goroutines", "5");
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Long> timed = new java.util.TreeMap<>();
    Matcher m = Pattern.compile("(?m)^(\\S+)  count (\\d+)  ").matcher(r.out());
    while (m.find()) {
      // generic instantiations (main.Map[go.shape.int,...]) are counted under main.Map[...] by the workload
      String name = m.group(1).replaceFirst("\\[.*", "[...]");
      timed.merge(name, Long.parseLong(m.group(2)), Long::sum);
    }
    Map<String, Long> printed = WorkloadCounts.parse(r.out());
    assertTrue(timed.size() > 30, timed.toString());
    printed.forEach((fn, n) -> {
      if (timed.containsKey(fn)) {
        assertEquals(n, timed.get(fn), fn);
      } else {
        assertTrue(r.err().contains("gotrace: note: " + fn + " is not traced: it exists only inlined"), fn);
      }
    });
    assertTrue(!r.out().contains("not in the numbers"), r.out());
  }

  /**
   * Without --verbose, the workload's inlined-only main functions are one note with their count;
   * with it, one note each (the same functions).
   */
  @Test
  void inlinedOnlyFunctionsAreOneNoteUnlessVerbose() {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun quiet = CliRun.of("latency", "main.*", "--", bin, "-n", "1", "-goroutines", "1");
    CliRun verbose = CliRun.of("latency", "main.*", "--verbose", "--", bin, "-n", "1", "-goroutines", "1");
    assertEquals(0, quiet.exitCode(), quiet.err());
    assertEquals(0, verbose.exitCode(), verbose.err());
    List<String> each = verbose.err().lines().filter(l -> l.contains("exists only inlined")).toList();
    assertTrue(each.size() > 3, verbose.err());
    each.forEach(l -> assertTrue(l.matches("gotrace: note: \\S+ is not traced: it exists only inlined \\(\\d+ cop(y|ies)\\)"), l));
    List<String> one = quiet.err().lines().filter(l -> l.contains("only inlined")).toList();
    assertEquals(1, one.size(), quiet.err());
    assertTrue(one.get(0).startsWith("gotrace: note: " + each.size() + " matching functions exist only inlined ("),
        one.get(0));
    assertTrue(one.get(0).endsWith(" more (--verbose lists them)"), one.get(0));
  }

  /** A known sleep is reported within 10 %: 100 ms sleeps, mean between 100 and 110 ms. */
  @Test
  void knownSleepWithinTenPercent() {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun r = CliRun.of("latency", "--json", "main.sleepFor", "--", bin, "-mode", "sleep", "-n", "5",
        "-sleep-ms", "100");
    assertEquals(0, r.exitCode(), r.err());
    String t = r.out();
    assertEquals(5, number(t, "count"), t);
    long mean = number(t, "mean_ns");
    assertTrue(mean >= 100_000_000 && mean <= 110_000_000, "mean " + mean + " ns in " + t);
  }

  /**
   * The whole workload (recursion that grows stacks, recovered panics, goroutines, every argument
   * shape) under {@code latency 'main.*'}: its output is identical to an untraced run's, it exits
   * 0, and every count equals what it prints.
   */
  @Test
  void workloadOutputUnchangedUnderLatencyOfAllMainFunctions() throws Exception {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    String[] args = {"-n", "40", "-goroutines", "10"};
    Process untraced = new ProcessBuilder(Stream.concat(Stream.of(bin), Stream.of(args)).toList())
        .redirectErrorStream(true).start();
    String expected = new String(untraced.getInputStream().readAllBytes());
    assertEquals(0, untraced.waitFor());
    CliRun r = CliRun.of(Stream.concat(Stream.of("latency", "--json", "main.*", "--", bin), Stream.of(args))
        .toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    // with --json the table is the only stdout line; the workload's own output goes to stderr
    String workloadOutput = r.err().lines().filter(l -> !l.startsWith("gotrace: ")
        && !l.startsWith("Timing ")).reduce("", (a, b) -> a + b + "\n");
    assertEquals(expected, workloadOutput);
    Map<String, Long> printed = WorkloadCounts.parse(expected);
    assertEquals(40L * 2001, printed.get("main.recurse"));
    // a call counts once it returned; one still running when the process exits (a worker between
    // wg.Done and its RET in the last round) is reported in flight, never mixed into the numbers
    Matcher m = Pattern.compile("\\{\"function\":\"([^\"]+)\",\"count\":(\\d+),[^}]*?"
        + "\"unmatched_exits\":(\\d+),\"never_exited\":(\\d+),\"in_flight\":(\\d+)").matcher(r.out());
    Map<String, Long> seen = new java.util.TreeMap<>();
    while (m.find()) {
      assertEquals("0", m.group(3), m.group());
      assertEquals("0", m.group(4), m.group());
      seen.merge(m.group(1).replaceFirst("\\[.*", "[...]"),
          Long.parseLong(m.group(2)) + Long.parseLong(m.group(5)), Long::sum);
    }
    assertTrue(seen.size() > 30, seen.toString());
    for (Map.Entry<String, Long> e : printed.entrySet()) {
      if (seen.containsKey(e.getKey())) {
        assertEquals(e.getValue(), seen.get(e.getKey()), e.getKey());
      }
    }
    assertEquals(printed.get("main.recurse"), seen.get("main.recurse"));
    assertEquals(printed.get("main.worker"), seen.get("main.worker"));
    assertEquals(printed.get("main.mayPanic"), seen.get("main.mayPanic"));
  }

  @Test
  void bySite() {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun r = CliRun.of("latency", "--by-site", "main.recurse", "--", bin, "-n", "2", "-depth", "100",
        "-goroutines", "1");
    assertEquals(0, r.exitCode(), r.err());
    Matcher m = Pattern.compile("(?m)^  exit \\S+main\\.go:\\d+ 0x[0-9a-f]+ \\((RET|TAILCALL|INDIRECT)\\)  count (\\d+)  mean ")
        .matcher(r.out());
    long sum = 0;
    int rows = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(2));
      rows++;
    }
    assertTrue(rows >= 1, r.out());
    assertEquals(202, sum, r.out());
    System.out.println(r.out());
  }

  static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
    assertTrue(m.find(), field + " in " + json);
    return Long.parseLong(m.group(1));
  }

  @Test
  void badInterval() {
    CliRun r = CliRun.of("latency", "--interval", "soon", "main.x", "--", "/bin/true");
    assertEquals(ExitCode.USAGE.code(), r.exitCode());
    assertTrue(r.err().startsWith("gotrace: invalid --interval 'soon'"), r.err());
  }

  /** The top of --max-inflight's range is a table the kernel creates (the range is not a guess). */
  @Test
  void theLargestMaxInflightIsAccepted() {
    TestBinaries.requireRoot();
    String bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    CliRun r = CliRun.of("latency", "main.recurse", "--max-inflight", "4194304", "--", bin, "-mode", "all", "-n", "1",
        "-goroutines", "1");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("main.recurse  count "), r.out());
  }
}
