package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.NextGo;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import dev.gotrace.testdata.WorkloadCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The next Go: the newest series' workload with its build-info version rewritten to go1.99 (same
 * length), a release gotrace has never seen. Every command either works, because each Go fact it
 * needs is read from the binary and proven, or refuses in one line with its exit code; the
 * addresses are those of the original binary.
 */
class NextGoCliTest {
  @TempDir
  Path dir;

  static List<TestBinary> newest() {
    int newest = TestBinaries.all().stream().mapToInt(TestBinary::goMinor).max().orElseThrow();
    return TestBinaries.where(t -> t.goMinor() == newest && t.arch().equals("amd64") && t.program().equals("workload")
        && List.of("default", "stripped", "distro").contains(t.variant()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("newest")
  void everyCommandWorksOrRefusesInOneLine(TestBinary t) throws Exception {
    Path next = NextGo.write(t, dir.resolve("workload-go1.99-" + t.variant()));
    String bin = next.toString();
    boolean dwarf = !t.variant().equals("stripped") && !t.variant().equals("distro");

    CliRun info = CliRun.of("info", bin);
    assertEquals(0, info.exitCode(), info.err());
    assertTrue(info.out().contains("go         go1.99."), info.out());
    assertTrue(info.out().matches("(?s).*moduledata .*, proven\\n.*"), info.out());

    // The static view is the original binary's, address for address.
    CliRun list = CliRun.of("list", bin, "main.*", "--sites");
    CliRun original = CliRun.of("list", t.path().toString(), "main.*", "--sites");
    assertEquals(0, list.exitCode(), list.err());
    assertEquals(original.out(), list.out());

    TestBinaries.requireRoot();
    CliRun funcs = CliRun.of("funcs", "main.recurse", "--", bin, "-n", "2");
    assertEquals(0, funcs.exitCode(), funcs.err());
    long printed = WorkloadCounts.parse(funcs.out()).get("main.recurse");
    assertEquals(printed, funcs.out().lines().filter(l -> l.matches(".*\\bmain\\.recurse\\s+main\\.(recurse|round).*"))
        .count(), funcs.out());

    CliRun latency = CliRun.of("latency", "main.*", "--", bin, "-n", "2", "-goroutines", "3");
    assertEquals(0, latency.exitCode(), latency.err());
    Map<String, Long> timed = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^(\\S+)  count (\\d+)  ").matcher(latency.out());
    while (m.find()) {
      timed.merge(m.group(1).replaceFirst("\\[.*", "[...]"), Long.parseLong(m.group(2)), Long::sum);
    }
    Map<String, Long> expected = WorkloadCounts.parse(latency.out());
    assertTrue(timed.size() > 20, timed.toString());
    timed.forEach((fn, n) -> {
      if (expected.containsKey(fn)) {
        assertEquals(expected.get(fn), n, fn);
      }
    });

    CliRun args = CliRun.of("args", "main.manyArgs", "--", bin, "-n", "3");
    assertEquals(0, args.exitCode(), args.err());
    String call = dwarf
        ? "main.manyArgs(a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10, k=11, l=" // l: the round
        : "main.manyArgs(arg0=0x1, arg1=0x2, arg2=0x3, arg3=0x4, arg4=0x5, arg5=0x6, arg6=0x7, arg7=0x8, arg8=0x9)";
    assertEquals(3, args.out().lines().filter(l -> l.contains(call)).count(), args.out());

    CliRun gor = CliRun.of("goroutines", "--", bin, "-n", "2", "-goroutines", "4");
    if (dwarf) {
      assertEquals(0, gor.exitCode(), gor.err());
      assertTrue(gor.err().matches("(?s).*launches per function:\\n.*\\s8  main\\.worker\\n.*"), gor.err());
    } else {
      // newproc1's parameters without DWARF come from a table checked against the code; go1.99 is
      // not in the table, and the code alone does not name the parameters: refused.
      FuncsCommandTest.refused(gor, ExitCode.UNSUPPORTED, "runtime.newproc1 in go1.99", "DWARF");
    }
  }
}
