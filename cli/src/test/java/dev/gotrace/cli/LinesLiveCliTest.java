package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code gotrace args} at source lines of the look program, end to end as root, on Go 1.15 (stack
 * ABI), 1.24 and 1.27: the loop body's line prints the loop variable on every iteration, in order;
 * the line of an inlined function fires in each copy as often as its host is called; FUNC+N names
 * the same line. Refusals (no code, ambiguous file) need no root.
 */
class LinesLiveCliTest {
  static final List<String> SERIES = List.of("go1.15", "go1.24", "go1.27");
  static final int ROUNDS = 3;
  static final int ITERS = 5;

  static TestBinary look(String series) {
    return TestBinaries.get(series, "amd64", "default", "look");
  }

  /** The line of look's main.go that ends with {@code marker} (a comment, or the text of a declaration). */
  static int line(TestBinary b, String marker) throws IOException {
    List<String> src = Files.readAllLines(TestBinaries.sourcesOf(b).resolve("main.go"));
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).endsWith(marker) || src.get(i).startsWith(marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("look's main.go has no line with " + marker);
  }

  /** The event lines of {@code out} (the launched program's own output is mixed in). */
  static List<String> events(String out, String site) {
    return out.lines().filter(l -> l.matches("\\S+  pid \\d+  goid \\d+  " + Pattern.quote(site) + ".*")).toList();
  }

  /** The values of {@code name} in {@code lines}, in order. */
  static List<String> values(List<String> lines, String name) {
    List<String> out = new ArrayList<>();
    Pattern p = Pattern.compile(" " + Pattern.quote(name) + "=(\\S+)");
    for (String l : lines) {
      Matcher m = p.matcher(l);
      out.add(m.find() ? m.group(1) : "(none)");
    }
    return out;
  }

  /** The count look printed for {@code function} ("calls main.step 15"). */
  static int calls(String out, String function) {
    Matcher m = Pattern.compile("(?m)^calls " + Pattern.quote(function) + " (\\d+)$").matcher(out);
    assertTrue(m.find(), out);
    return Integer.parseInt(m.group(1));
  }

  @Test
  void theLoopBodyPrintsTheLoopVariableOnEveryIterationInOrder() throws Exception {
    TestBinaries.requireRoot();
    for (String series : SERIES) {
      TestBinary b = look(series);
      String site = "main.go:" + line(b, "// LOOP-BODY");
      CliRun r = CliRun.of("args", site, "--", b.path().toString(), "-n", "" + ROUNDS, "-iters", "" + ITERS);
      assertEquals(0, r.exitCode(), series + r.err());
      assertTrue(r.err().contains("Tracing " + site + " (1 probe) of "), series + r.err());
      List<String> lines = events(r.out(), site + " main.loop: ");
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < ITERS; i++) {
          expected.add(Integer.toString(i));
        }
      }
      assertEquals(expected, values(lines, "i"), series + "\n" + r.out());
      assertEquals(calls(r.out(), "main.step"), lines.size(), series);
      assertEquals(List.of(Integer.toString(ITERS)), values(lines, "n").stream().distinct().toList(), series);
      assertTrue(r.err().contains("0 calls, 0 returns, " + lines.size() + " line hits in "), series + r.err());
    }
  }

  @Test
  void theLineOfAnInlinedFunctionFiresInEveryCopy() throws Exception {
    TestBinaries.requireRoot();
    for (String series : SERIES) {
      TestBinary b = look(series);
      String site = "main.go:" + line(b, "// CLAMP-LINE");
      CliRun r = CliRun.of("args", site, "--", b.path().toString(), "-n", "" + ROUNDS);
      assertEquals(0, r.exitCode(), series + r.err());
      assertTrue(r.err().contains("Tracing " + site + " (2 probes: one per copy of its code) of "), series + r.err());
      List<String> a = events(r.out(), site + " [1/2] main.clamp inlined into main.useClampA at main.go:");
      List<String> bb = events(r.out(), site + " [2/2] main.clamp inlined into main.useClampB at main.go:");
      assertEquals(2 * ROUNDS, a.size(), series + "\n" + r.out());
      assertEquals(3 * ROUNDS, bb.size(), series + "\n" + r.out());
      assertEquals(calls(r.out(), "main.useClampA"), a.size(), series);
      assertEquals(calls(r.out(), "main.useClampB"), bb.size(), series);
      assertEquals(events(r.out(), site).size(), a.size() + bb.size(), series + "\n" + r.out());
      List<String> va = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        va.addAll(List.of("0", "70")); // useClampA(i * 70), i = 0, 1
      }
      assertEquals(va, values(a, "v"), series + "\n" + r.out());
    }
  }

  @Test
  void funcsAtLinesCountsEachCopyWithItsCaller() throws Exception {
    TestBinaries.requireRoot();
    for (String series : SERIES) {
      TestBinary b = look(series);
      String loop = "main.go:" + line(b, "// LOOP-BODY");
      String clamp = "main.go:" + line(b, "// CLAMP-LINE");
      CliRun r = CliRun.of("funcs", loop, clamp, "--json", "--", b.path().toString(), "-n", "" + ROUNDS, "-iters", "" + ITERS);
      assertEquals(0, r.exitCode(), series + r.err());
      List<String> lines = r.out().lines().filter(l -> l.contains("\"event\":\"line\"")).toList();
      int round = line(b, "\tsink += loop(*iters)");
      assertEquals(ROUNDS * ITERS, lines.stream().filter(l -> l.contains("\"site\":\"" + loop + "\"")
          && l.contains("\"func\":\"main.loop\"") && l.contains("\"caller\":\"main.round\"")
          && l.matches(".*\"callerLine\":" + round + "[,}].*")).count(), series + "\n" + r.out());
      assertEquals(2 * ROUNDS, lines.stream().filter(l -> l.contains("\"site\":\"" + clamp + " [1/2]\"")
          && l.contains("\"caller\":\"main.useClampA\"")).count(), series + "\n" + r.out());
      assertEquals(3 * ROUNDS, lines.stream().filter(l -> l.contains("\"site\":\"" + clamp + " [2/2]\"")
          && l.contains("\"caller\":\"main.useClampB\"")).count(), series + "\n" + r.out());
      assertEquals(5 * ROUNDS + ROUNDS * ITERS, lines.size(), series);
    }
  }

  @Test
  void funcPlusNIsTheLineThatManyLinesAfterTheDeclaration() throws Exception {
    TestBinaries.requireRoot();
    TestBinary b = look("go1.27");
    int offset = line(b, "// LOOP-BODY") - line(b, "func loop(");
    String site = "main.loop+" + offset;
    CliRun r = CliRun.of("args", site, "--json", "--", b.path().toString(), "-n", "1", "-iters", "" + ITERS);
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().filter(l -> l.contains("\"event\":\"line\"")).toList();
    assertEquals(ITERS, lines.size(), r.out());
    for (int i = 0; i < ITERS; i++) {
      String l = lines.get(i);
      assertTrue(l.contains("\"site\":\"" + site + "\"") && l.contains("\"func\":\"main.loop\"")
          && l.contains("{\"name\":\"i\",\"type\":\"int\",\"value\":\"" + i + "\"}"), l);
    }
  }

  @Test
  void aLineWithoutCodeSaysWhichNearbyLinesHaveSome() throws Exception {
    TestBinary b = look("go1.27");
    int comment = line(b, "// ---- a line in a loop body");
    CliRun r = CliRun.of("args", b.path().toString(), "main.go:" + comment);
    FuncsCommandTest.refused(r, ExitCode.NO_MATCH, "main.go:" + comment + " has no code; nearby lines with code: ",
        "pick a line that has code");
    Matcher m = Pattern.compile("nearby lines with code: ([\\d, ]+)$").matcher(r.err().lines().findFirst().orElseThrow());
    assertTrue(m.find(), r.err());
    List<Integer> near = Arrays.stream(m.group(1).split(", ")).map(Integer::parseInt).toList();
    assertTrue(near.stream().anyMatch(n -> n < comment) && near.stream().anyMatch(n -> n > comment), near.toString());
    assertTrue(near.contains(line(b, "func loop(")), near + ": main.loop's declaration has code (its prologue)");
    // The full path the binary records is a suffix too (and not taken for the BINARY).
    String full;
    try (GoBinary bin = GoBinary.open(b.path())) {
      full = bin.function("main.loop").orElseThrow().file();
    }
    assertTrue(full.startsWith("/"), full);
    FuncsCommandTest.refused(CliRun.of("args", b.path().toString(), full + ":" + comment), ExitCode.NO_MATCH,
        full + ":" + comment + " has no code; nearby lines with code: " + m.group(1), "pick a line");
  }

  @Test
  void funcPlusNWithoutAProvenDeclarationLineIsRefused() {
    // Go 1.15 records no func line; fmt.parsenum has no stack check, so its entry is its first statement's line.
    CliRun r = CliRun.of("args", look("go1.15").path().toString(), "fmt.parsenum+1");
    FuncsCommandTest.refused(r, ExitCode.NO_MATCH,
        "fmt.parsenum+1: the binary does not record the line of fmt.parsenum's func keyword", "print.go holds fmt.parsenum");
    CliRun glob = CliRun.of("args", look("go1.27").path().toString(), "main.use*+1");
    FuncsCommandTest.refused(glob, ExitCode.NO_MATCH, "main.use*+1: main.use* matches 2 functions (main.useClampA,"
        + " main.useClampB)", "name one function exactly");
    CliRun none = CliRun.of("args", look("go1.27").path().toString(), "main.nosuch+1");
    FuncsCommandTest.refused(none, ExitCode.NO_MATCH, "matches main.nosuch", "gotrace list");
  }

  @Test
  void aFileSuffixOfSeveralFilesIsRefusedNamingThem() {
    String bin = look("go1.27").path().toString();
    CliRun r = CliRun.of("args", bin, "print.go:10"); // runtime/print.go and fmt/print.go
    FuncsCommandTest.refused(r, ExitCode.USAGE, "print.go:10 is ambiguous: 2 files end in print.go: ",
        "name the file by a longer path suffix, e.g. ");
    assertTrue(r.err().contains("fmt/print.go") && r.err().contains("runtime/print.go"), r.err());
    CliRun none = CliRun.of("args", bin, "nosuch.go:3");
    FuncsCommandTest.refused(none, ExitCode.NO_MATCH, "no source file of look ends in nosuch.go", "suffix");
    CliRun zero = CliRun.of("args", bin, "main.go:0");
    FuncsCommandTest.refused(zero, ExitCode.USAGE, "line 0 in 'main.go:0' is out of range", "patterns are");
  }

  @Test
  void aStrippedBinaryResolvesTheLineAndSaysItsValuesNeedDwarf() throws Exception {
    TestBinaries.requireRoot();
    TestBinary b = TestBinaries.get("go1.27", "amd64", "stripped", "workload");
    List<String> src = Files.readAllLines(TestBinaries.sourcesOf(b).resolve("main.go"));
    int at = src.indexOf("\treturn recurse(n-1) + pad[n%32] - n") + 1;
    assertTrue(at > 0, "workload's main.recurse recurses on one line");
    CliRun r = CliRun.of("args", "main.go:" + at, "--", b.path().toString(), "-n", "1", "-depth", "4");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("gotrace: note: workload has no DWARF: source lines show no values"), r.err());
    assertTrue(!r.err().contains("arguments are shown in hex"), "no note on arguments for a line alone: " + r.err());
    List<String> hits = events(r.out(), "main.go:" + at + " main.recurse");
    assertEquals(4, hits.size(), r.out()); // recurse(4) .. recurse(1) recurse again; recurse(0) returns first
    assertTrue(hits.stream().allMatch(l -> l.endsWith("(values unavailable: DWARF does not describe this code)")), r.out());
  }
}
