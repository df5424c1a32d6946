package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code --hist} end to end, as root: testdata/go/look calls main.size(v) for v = 0 .. hist-n - 1
 * each round, so every bucket's count follows from the bucket rule (0 alone; [2^(k-1), 2^k) for
 * the bit length k), computed here and compared with what the kernel counted, exactly; alone,
 * with --where, with --by, and on a package variable.
 */
class HistLiveCliTest {
  private static String look(String series) {
    return TestBinaries.get(series, "amd64", "default", "look").path().toString();
  }

  /** The rule of the README, independent of the code under test: the bucket label of v >= 0. */
  private static String bucket(long v) {
    if (v == 0) {
      return "0";
    }
    int k = 64 - Long.numberOfLeadingZeros(v);
    return "[" + (1L << (k - 1)) + ", " + (1L << k) + ")";
  }

  private static Map<String, Long> expected(long from, long to, int rounds) {
    Map<String, Long> out = new TreeMap<>();
    for (long v = from; v < to; v++) {
      out.merge(bucket(v), (long) rounds, Long::sum);
    }
    return out;
  }

  /** Each table's title line → its rows' bucket → count. */
  private static Map<String, Map<String, Long>> tables(String out) {
    Map<String, Map<String, Long>> t = new LinkedHashMap<>();
    Map<String, Long> cur = null;
    for (String line : out.lines().toList()) {
      if (line.startsWith("main.")) { // a function, or a line site "main.go:98 main.loop"
        cur = new TreeMap<>();
        t.put(line, cur);
      } else if (cur != null && line.startsWith("  ") && line.contains("|")) {
        String row = line.trim();
        String label = row.substring(0, row.indexOf(row.startsWith("[") ? ')' : ' ') + 1).trim();
        String rest = row.substring(label.length()).trim();
        cur.put(label, Long.parseLong(rest.substring(0, rest.indexOf(' '))));
      }
    }
    return t;
  }

  @Test
  void everyBucketOfAKnownDistributionIsExact() {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.24", "go1.27")) {
      for (int n : new int[] {100, 37}) {
        CliRun r = CliRun.of("funcs", "main.size", "--hist", "v", "--", look(series), "-n", "3", "-hist-n",
            Integer.toString(n));
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Map<String, Long>> t = tables(r.out());
        assertEquals(1, t.size(), r.out());
        String title = t.keySet().iterator().next();
        long sum = 3L * n * (n - 1) / 2;
        assertTrue(title.startsWith("main.size  v  count " + 3 * n + "  sum " + sum + "  "), title);
        assertTrue(title.endsWith("min 0  max " + (n - 1)), title);
        assertEquals(expected(0, n, 3), t.get(title), series + " " + n + ": " + r.out());
      }
    }
  }

  @Test
  void byKeyAndWhere() {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.27")) {
      CliRun r = CliRun.of("args", "main.size", "--hist", "v", "--where", "v < 40", "--by", "v >= 10", "--",
          look(series), "-n", "2", "-hist-n", "100");
      assertEquals(0, r.exitCode(), r.err());
      Map<String, Map<String, Long>> t = tables(r.out());
      assertEquals(2, t.size(), r.out());
      for (Map.Entry<String, Map<String, Long>> e : t.entrySet()) {
        boolean high = e.getKey().contains("v >= 10=true");
        assertTrue(high || e.getKey().contains("v >= 10=false"), e.getKey());
        assertEquals(high ? expected(10, 40, 2) : expected(0, 10, 2), e.getValue(), series + ": " + r.out());
      }
    }
  }

  @Test
  void aPackageVariable() {
    TestBinaries.requireRoot();
    // main.requests at the entry of call k of main.handle is k - 1: 0 .. 2*6 - 1
    CliRun r = CliRun.of("funcs", "main.handle", "--hist", "main.requests", "--", look("go1.24"), "-n", "2",
        "-handles", "6");
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Map<String, Long>> t = tables(r.out());
    assertEquals(List.of("main.handle  main.requests  count 12  sum 66  mean 5.500  min 0  max 11"),
        List.copyOf(t.keySet()), r.out());
    assertEquals(expected(0, 12, 1), t.values().iterator().next());
  }

  @Test
  void atASourceLine() throws Exception {
    TestBinaries.requireRoot();
    for (String series : List.of("go1.15", "go1.27")) {
      TestBinary b = TestBinaries.get(series, "amd64", "default", "look");
      String site = "main.go:" + LinesLiveCliTest.line(b, "// LOOP-BODY");
      // the loop body runs for i = 0 .. iters - 1 each round
      CliRun r = CliRun.of("funcs", site, "--hist", "i", "--", b.path().toString(), "-n", "2", "-iters", "21");
      assertEquals(0, r.exitCode(), r.err());
      Map<String, Map<String, Long>> t = tables(r.out());
      assertEquals(List.of(site + " main.loop  i  count 42  sum 420  mean 10.00  min 0  max 20"), List.copyOf(t.keySet()),
          series + ": " + r.out());
      assertEquals(expected(0, 21, 2), t.values().iterator().next(), series);
    }
  }

  @Test
  void refusals() {
    String b = look("go1.27");
    CliRun s = CliRun.of("funcs", "main.handle", "--hist", "main.cfg.Mode", "--", b);
    assertEquals(ExitCode.EXPRESSION.code(), s.exitCode(), s.err());
    assertTrue(s.err().startsWith("gotrace: --hist counts integers and floats; main.cfg.Mode is string"), s.err());
    CliRun by = CliRun.of("funcs", "main.handle", "--by", "i", "--", b);
    assertEquals(ExitCode.USAGE.code(), by.exitCode(), by.err());
    // options that show single events do not go with a histogram: refused before the binary is read
    for (List<String> extra : List.of(List.of("--stack"), List.of("--show", "main.requests"),
        List.of("--jfr", "/tmp/gotrace-hist-refused.jfr"))) {
      for (String cmd : List.of("funcs", "args")) {
        List<String> argv = new ArrayList<>(List.of(cmd, "main.size", "--hist", "v"));
        argv.addAll(extra);
        argv.addAll(List.of("--", b));
        CliRun r = CliRun.of(argv.toArray(String[]::new));
        assertEquals(ExitCode.USAGE.code(), r.exitCode(), argv + ": " + r.err());
        assertTrue(r.err().startsWith("gotrace: " + extra.get(0) + " does not go with --hist"), r.err());
        assertEquals(2, r.err().strip().split("\n").length, "a message and a hint: " + r.err());
      }
    }
  }
}
