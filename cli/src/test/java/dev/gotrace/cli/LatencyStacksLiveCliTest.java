package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code latency look main.leaf --stacks} as root on testdata/go/look, which reaches main.leaf
 * through three chains a known number of times a round (chainA 3, chainB through mid 5, chainC
 * through the inlined wrap 7): each chain's count exact in the text, the folded file, the SVG
 * (parsed by the JDK's XML parser) and the pprof profile (read back by {@code go tool pprof -top}
 * of the cached Go 1.27); the frames' lines are the calls' lines in the source. The stack ABI (Go
 * 1.15) and the register ABI (1.24, 1.27).
 */
class LatencyStacksLiveCliTest {
  private static final int ROUNDS = 4;

  @TempDir Path tmp;

  /** The line of the first source line of main.go containing {@code text} (after {@code after}, a line holding it). */
  static int line(TestBinary t, String after, String text) throws Exception {
    List<String> lines = Files.readAllLines(TestBinaries.sourcesOf(t).resolve("main.go"));
    int from = 0;
    while (from < lines.size() && !lines.get(from).contains(after)) {
      from++;
    }
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + text + " after " + after + " in " + t);
  }

  /** The three chains' frames below main.round, innermost first, as the text prints them, with their calls per round. */
  static Map<List<String>, Integer> chains(TestBinary t) throws Exception {
    Map<List<String>, Integer> m = new LinkedHashMap<>();
    m.put(List.of("main.chainC (main.go:" + line(t, "func chainC()", "sink += wrap()") + ")",
        "main.round (main.go:" + line(t, "func round()", "chainC()") + ")"), 7);
    m.put(List.of("main.mid (main.go:" + line(t, "func mid()", "return leaf() + 1") + ")",
        "main.chainB (main.go:" + line(t, "func chainB()", "sink += mid()") + ")",
        "main.round (main.go:" + line(t, "func round()", "chainB()") + ")"), 5);
    m.put(List.of("main.chainA (main.go:" + line(t, "func chainA()", "sink += leaf()") + ")",
        "main.round (main.go:" + line(t, "func round()", "chainA()") + ")"), 3);
    return m;
  }

  private CliRun run(TestBinary look, String... extra) {
    List<String> args = new ArrayList<>(List.of("latency", "main.leaf", "--stacks"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--", look.path().toString(), "-n", Integer.toString(ROUNDS)));
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("calls main.leaf " + 15 * ROUNDS + "\n"), r.out());
    return r;
  }

  /** Each printed stack of main.leaf: its frames (the lines after its count line) and its count. */
  static Map<List<String>, Long> printed(String out) {
    Map<List<String>, Long> m = new LinkedHashMap<>();
    Matcher head = Pattern.compile("(?m)^  (\\d+) calls? \\(").matcher(out);
    while (head.find()) {
      List<String> frames = new ArrayList<>();
      int at = out.indexOf('\n', head.end()) + 1;
      while (at < out.length() && out.startsWith("      ", at)) {
        int end = out.indexOf('\n', at);
        frames.add(out.substring(at + 6, end));
        at = end + 1;
      }
      m.put(frames, Long.parseLong(head.group(1)));
    }
    return m;
  }

  @TestFactory
  Stream<DynamicTest> eachChainsCountIsExactAndItsFramesAreTheSourcesCalls() {
    TestBinaries.requireRoot();
    return Stream.of("go1.15", "go1.24", "go1.27").map(series -> DynamicTest.dynamicTest(series, () -> {
      TestBinary look = TestBinaries.get(series, "amd64", "default", "look");
      Path folded = tmp.resolve(series + ".folded");
      CliRun r = run(look, "--folded", folded.toString());
      assertTrue(r.out().contains("main.leaf: " + 15 * ROUNDS + " calls from 3 stacks\n"), r.out());
      Map<List<String>, Long> stacks = printed(r.out());
      assertEquals(3, stacks.size(), r.out());
      // frame 0 is the entry probe, after the stack check: still the prologue, the declaration's line
      int leaf = line(look, "func leaf()", "func leaf()");
      int wrap = line(look, "func wrap()", "return leaf() * 2");
      for (Map.Entry<List<String>, Integer> chain : chains(look).entrySet()) {
        List<String> expected = new ArrayList<>();
        expected.add("main.leaf (main.go:" + leaf + ")");
        if (chain.getKey().get(0).startsWith("main.chainC")) {
          expected.add("main.wrap (main.go:" + wrap + ", inlined)");
        }
        expected.addAll(chain.getKey());
        List<String> found = stacks.keySet().stream().filter(f -> f.size() == expected.size() + 2
            && f.subList(0, expected.size()).equals(expected)).findFirst()
            .orElseThrow(() -> new AssertionError(series + ": no stack " + expected + " in\n" + r.out()));
        assertTrue(found.get(expected.size()).matches("main\\.main \\(main\\.go:\\d+\\)"), found.toString());
        assertTrue(found.get(expected.size() + 1).matches("runtime\\.main \\(proc\\.go:\\d+\\)"), found.toString());
        assertEquals((long) chain.getValue() * ROUNDS, stacks.get(found), series + " " + expected);
      }
      String base = "runtime.main;main.main;main.round;";
      assertEquals(base + "main.chainC;main.wrap;main.leaf " + 7 * ROUNDS + "\n"
          + base + "main.chainB;main.mid;main.leaf " + 5 * ROUNDS + "\n"
          + base + "main.chainA;main.leaf " + 3 * ROUNDS + "\n", Files.readString(folded), series);
      assertTrue(r.err().contains("gotrace: wrote folded stacks (3 stacks, " + 15 * ROUNDS + " calls) to " + folded),
          r.err());
    }));
  }

  @Test
  void theSvgParsesAsXmlWithAFramePerChainFunctionAndPprofReadsTheCountsBack() throws Exception {
    TestBinaries.requireRoot();
    TestBinary look = TestBinaries.get("go1.27", "amd64", "default", "look");
    Path svg = tmp.resolve("flame.svg");
    Path pprof = tmp.resolve("p.pb.gz");
    run(look, "--flame", svg.toString(), "--flame-weight", "calls", "--pprof", pprof.toString());

    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
    NodeList titles = doc.getElementsByTagName("title");
    Map<String, Integer> frames = new LinkedHashMap<>();
    for (int i = 0; i < titles.getLength(); i++) {
      String t = titles.item(i).getTextContent();
      frames.merge(t.substring(0, t.indexOf(':')), 1, Integer::sum);
    }
    for (String fn : List.of("main.round", "main.chainA", "main.chainB", "main.mid", "main.chainC")) {
      assertEquals(1, frames.get(fn), fn + " in " + frames);
    }
    assertEquals(1, frames.get("main.wrap (inlined)"), frames.toString());
    assertEquals(3, frames.get("main.leaf"), frames.toString());
    Set<String> tips = new HashSet<>();
    for (int i = 0; i < titles.getLength(); i++) {
      tips.add(titles.item(i).getTextContent().replaceAll(", [^,]+ \\([^)]*\\)$", ""));
    }
    assertTrue(tips.contains("main.chainC: " + 7 * ROUNDS + " calls (46.7%)"), tips.toString());
    assertTrue(tips.contains("main.mid: " + 5 * ROUNDS + " calls (33.3%)"), tips.toString());
    assertTrue(tips.contains("main.chainA: " + 3 * ROUNDS + " calls (20.0%)"), tips.toString());

    Map<String, long[]> top = pprofTop(pprof);
    assertEquals(15L * ROUNDS, top.get("main.leaf")[0], "flat calls of main.leaf: " + top.keySet());
    assertEquals(15L * ROUNDS, top.get("main.leaf")[1]);
    assertEquals(3L * ROUNDS, top.get("main.chainA")[1]);
    assertEquals(5L * ROUNDS, top.get("main.chainB")[1]);
    assertEquals(5L * ROUNDS, top.get("main.mid")[1]);
    assertEquals(7L * ROUNDS, top.get("main.chainC")[1]);
    assertEquals(7L * ROUNDS, top.get("main.wrap (inline)")[1]);
    assertEquals(15L * ROUNDS, top.get("main.round")[1]);
  }

  @Test
  void aStackCutAtTheDepthStartsWithItsReasonInTheFolded() throws Exception {
    TestBinaries.requireRoot();
    TestBinary look = TestBinaries.get("go1.27", "amd64", "default", "look");
    Path folded = tmp.resolve("cut.folded");
    run(look, "--stack=3", "--folded", folded.toString());
    // three machine frames: chainC's holds the inlined wrap, so its stack still reaches main.round
    String cut = "[stack cut: depth limit];";
    assertEquals(cut + "main.round;main.chainC;main.wrap;main.leaf " + 7 * ROUNDS + "\n"
        + cut + "main.chainB;main.mid;main.leaf " + 5 * ROUNDS + "\n"
        + cut + "main.round;main.chainA;main.leaf " + 3 * ROUNDS + "\n", Files.readString(folded));
  }

  @Test
  void aPieBinarysStacksAreSymbolisedFromTheirLoadAddress() throws Exception {
    TestBinaries.requireRoot();
    TestBinary server = TestBinaries.get("go1.24", "amd64", "pie", "server");
    List<LatencyByLiveCliTest.Request> requests = List.of(LatencyByLiveCliTest.Request.of("a", 2021),
        LatencyByLiveCliTest.Request.of("b", 2022), LatencyByLiveCliTest.Request.of("c", 2023));
    CliRun r = LatencyByLiveCliTest.traced(server.path(), requests, 3, "latency", "main.prepareAnswer", "--stacks");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("main.prepareAnswer: 3 calls from 1 stack\n"), r.out());
    int call = line(server, "func handler(", "prepareAnswer(name, year, status)");
    assertTrue(r.out().contains("\n      main.prepareAnswer (main.go:" + line(server, "func prepareAnswer(", "func prepareAnswer(")
        + ")\n      main.handler (main.go:" + call + ")\n      net/http.HandlerFunc.ServeHTTP (server.go:"), r.out());
  }

  /** {@code go tool pprof -top -sample_index=calls}: function → {flat, cum}. */
  static Map<String, long[]> pprofTop(Path file) throws Exception {
    Path go = TestBinaries.cacheDir().resolve("toolchains/go1.27/usr/lib/go-1.27/bin/go");
    if (!Files.isExecutable(go)) {
      fail("no Go 1.27 toolchain at " + go + ": run testdata/build.sh");
    }
    ProcessBuilder pb = new ProcessBuilder(go.toString(), "tool", "pprof", "-top", "-nodecount=1000",
        "-sample_index=calls", file.toString()).redirectErrorStream(true);
    pb.environment().put("GOROOT", go.getParent().getParent().toString());
    pb.environment().put("GOTOOLCHAIN", "local");
    pb.environment().put("GOFLAGS", "");
    pb.environment().put("GOCACHE", TestBinaries.cacheDir().resolve("gocache").toString());
    pb.environment().put("HOME", file.getParent().toString());
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "go tool pprof timed out");
    assertEquals(0, p.exitValue(), text);
    Map<String, long[]> rows = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\S+%\\s+\\S+%\\s+(\\d+)\\s+\\S+%\\s+(.+?)\\s*$").matcher(text);
    while (m.find()) {
      rows.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    }
    assertTrue(rows.containsKey("main.leaf"), text);
    return rows;
  }
}
