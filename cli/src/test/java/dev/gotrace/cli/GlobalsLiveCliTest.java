package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Package variables end to end, as root: {@code --show} of testdata/go/look's counter
 * main.requests at each call of main.handle (whose increment follows the HANDLE-ENTRY line, so
 * call k sees k - 1) matches what the program prints at exit; the same names in {@code --where}
 * and {@code --by}; a PIE reads them through the load bias; a stripped binary is refused in one
 * line. Stack ABI (Go 1.15) and register ABI (1.24, 1.27).
 */
class GlobalsLiveCliTest {
  private static final Pattern SHOWN = Pattern.compile(" main\\.handle .* main\\.requests=(\\d+) main\\.cfg\\.Mode=\"steady\"$");

  private static String look(String series) {
    return TestBinaries.get(series, "amd64", "default", "look").path().toString();
  }

  /** What look printed as "requests N" (its stdout is passed through to ours, or to stderr with --json). */
  private static long requestsPrinted(CliRun r) {
    Matcher m = Pattern.compile("(?m)^requests (\\d+)$").matcher(r.out() + "\n" + r.err());
    assertTrue(m.find(), r.out() + r.err());
    return Long.parseLong(m.group(1));
  }

  @Test
  void funcsShowsTheCounterAtEveryCall() {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.24", "go1.27")) {
      CliRun r = CliRun.of("funcs", "main.handle", "--show", "main.requests,main.cfg.Mode", "--", look(series),
          "-n", "3", "-handles", "5");
      assertEquals(0, r.exitCode(), r.err());
      List<Long> seen = new ArrayList<>();
      for (String line : r.out().lines().toList()) {
        Matcher m = SHOWN.matcher(line);
        if (m.find()) {
          seen.add(Long.parseLong(m.group(1)));
        }
      }
      long printed = requestsPrinted(r);
      assertEquals(15, printed, series);
      List<Long> expected = new ArrayList<>();
      for (long k = 0; k < printed; k++) {
        expected.add(k);
      }
      assertEquals(expected, seen, series + ": " + r.out());
      assertEquals(printed - 1, seen.get(seen.size() - 1), series);
    }
  }

  @Test
  void ndjsonCarriesTheShownValues() {
    TestBinaries.requireRoot();
    CliRun r = CliRun.of("funcs", "main.handle", "--show", "main.requests,main.cfg.Mode", "--json", "--", look("go1.27"),
        "-handles", "3");
    assertEquals(0, r.exitCode(), r.err());
    List<String> shown = r.out().lines().filter(l -> l.contains("\"event\":\"call\""))
        .map(l -> l.replaceAll(".*\"shown\":(\\{[^}]*\\}).*", "$1")).toList();
    assertEquals(List.of("{\"main.requests\":\"0\",\"main.cfg.Mode\":\"\\\"steady\\\"\"}",
        "{\"main.requests\":\"1\",\"main.cfg.Mode\":\"\\\"steady\\\"\"}",
        "{\"main.requests\":\"2\",\"main.cfg.Mode\":\"\\\"steady\\\"\"}"), shown, r.out());
  }

  @Test
  void argsFiltersAndShowsByGlobals() {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.27")) {
      CliRun r = CliRun.of("args", "main.handle", "--where", "main.requests >= 6 && main.cfg.Mode == \"steady\"",
          "--show", "main.requests,main.cfg.Limit", "--", look(series), "-n", "2", "-handles", "5");
      assertEquals(0, r.exitCode(), r.err());
      List<String> calls = r.out().lines().filter(l -> l.contains(" main.handle(")).toList();
      // calls 7..10 of 10 pass: main.requests is 6..9 at their entries; i counts 0..4 per round
      assertEquals(List.of("main.handle(i=1) main.requests=6 main.cfg.Limit=100",
          "main.handle(i=2) main.requests=7 main.cfg.Limit=100", "main.handle(i=3) main.requests=8 main.cfg.Limit=100",
          "main.handle(i=4) main.requests=9 main.cfg.Limit=100"),
          calls.stream().map(l -> l.substring(l.indexOf("main.handle("))).toList(), series + ": " + r.out());
    }
  }

  @Test
  void latencyByAGlobalInAPie() {
    TestBinaries.requireRoot();
    String pie = TestBinaries.get("go1.24", "amd64", "pie", "workload").path().toString();
    // main.recurse(5) recurses to 0: six calls, counted by main.cRecurse.n (a pointer read from a global)
    // before each call's own hit: one call at each of 0..5.
    CliRun r = CliRun.of("latency", "main.recurse", "--by", "main.cRecurse.n", "--", pie, "-mode", "all", "-n", "1",
        "-depth", "5", "-goroutines", "1");
    assertEquals(0, r.exitCode(), r.err());
    List<String> keys = r.out().lines().filter(l -> l.startsWith("main.recurse  main.cRecurse.n="))
        .map(l -> l.replaceAll("^main.recurse  main.cRecurse.n=(\\d+)  count (\\d+).*", "$1:$2")).sorted()
        .collect(Collectors.toList());
    assertEquals(List.of("0:1", "1:1", "2:1", "3:1", "4:1", "5:1"), keys, r.out());
    CliRun a = CliRun.of("args", "main.recurse", "--where", "main.cRecurse.n == 2", "--show", "main.sink", "--", pie,
        "-mode", "all", "-n", "1", "-depth", "5", "-goroutines", "1");
    assertEquals(0, a.exitCode(), a.err());
    assertEquals(List.of("main.recurse(n=3) main.sink=0"), a.out().lines().filter(l -> l.contains(" main.recurse("))
        .map(l -> l.substring(l.indexOf("main.recurse("))).toList(), a.out());
  }

  /**
   * funcs --show in a PIE: one program serves every function, so it finds the site's link address
   * (for the load bias) from the site index; the values at each call are those of the same program
   * built at fixed addresses, call by call.
   */
  @Test
  void funcsShowsAGlobalInAPieAsInAFixedAddressBuild() {
    TestBinaries.requireRoot();
    List<List<String>> runs = new java.util.ArrayList<>();
    for (String variant : List.of("default", "pie")) {
      String b = TestBinaries.get("go1.24", "amd64", variant, "workload").path().toString();
      CliRun f = CliRun.of("funcs", "main.inlineUser", "main.manyArgs", "main.withString", "main.typed", "--show",
          "main.sink", "--", b, "-n", "3", "-goroutines", "1");
      assertEquals(0, f.exitCode(), f.err());
      runs.add(f.out().lines().filter(l -> l.matches(".*  main\\.(inlineUser|manyArgs|withString|typed)  .*"))
          .map(l -> l.replaceAll(".*  (main\\.\\w+)  .* (main\\.sink=\\d+)$", "$1 $2")).toList());
    }
    assertEquals(12, runs.get(0).size(), runs.get(0).toString()); // four functions, three rounds
    assertTrue(runs.get(0).stream().allMatch(l -> l.matches("main\\.\\w+ main\\.sink=\\d+")), runs.get(0).toString());
    assertEquals(runs.get(0), runs.get(1));
  }

  @Test
  void atASourceLine() throws Exception {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.27")) {
      TestBinary b = TestBinaries.get(series, "amd64", "default", "look");
      String site = "main.go:" + LinesLiveCliTest.line(b, "// CLAMP-LINE");
      CliRun r = CliRun.of("args", site, "--show", "main.cfg.Limit,main.requests", "--", b.path().toString());
      assertEquals(0, r.exitCode(), r.err());
      // both inlined copies of clamp's line run before main.handle: 2 + 3 hits, requests still 0
      List<String> hits = r.out().lines().filter(l -> l.contains(" " + site + " [")).toList();
      assertEquals(5, hits.size(), series + ": " + r.out());
      assertTrue(hits.stream().allMatch(l -> l.endsWith(" main.cfg.Limit=100 main.requests=0")), r.out());
    }
  }

  @Test
  void strippedBinariesAreRefusedInOneLine() {
    String stripped = TestBinaries.get("go1.24", "amd64", "stripped", "workload").path().toString();
    CliRun r = CliRun.of("funcs", "main.recurse", "--show", "main.sink", "--", stripped);
    assertEquals(ExitCode.EXPRESSION.code(), r.exitCode(), r.err());
    List<String> lines = r.err().lines().filter(l -> !l.startsWith("gotrace: note:")).toList();
    assertEquals(List.of("gotrace: main.sink: package variables need DWARF, which this binary has not"
        + " (column 1 of 'main.sink')", "hint: use a binary built without -s -w (or its debug file)"), lines, r.err());
  }
}
