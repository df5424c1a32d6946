package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --stack} end to end, as root, on testdata's {@code look}: main.leaf is reached through
 * three chains a known number of times per round (chainA 3, chainB → mid 5, chainC → wrap, which
 * the compiler inlines, 7). Each chain's count must be exact and each frame's file:line the line
 * of the call in the source (found by grepping the source, never a hard-coded number), with
 * main.wrap shown as an inlined frame. Go 1.15 (stack ABI, g in thread-local storage), 1.24 and
 * 1.27.
 */
class StackLiveCliTest {
  static final int ROUNDS = 2;
  static final JsonFactory JSON = new JsonFactory();

  /** One frame as {@code "function file:line"} (file's last element), "+i" when inlined. */
  record Shown(String function, String where) {}

  static TestBinary look(String series) {
    return TestBinaries.get(series, "amd64", "default", "look");
  }

  /** The 1-based line of main.go whose text is exactly {@code text} once trimmed of tabs (unique). */
  static int line(TestBinary t, String text) throws IOException {
    List<String> lines = Files.readAllLines(TestBinaries.sourcesOf(t).resolve("main.go"));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(text)) {
        assertEquals(-1, at, "'" + text + "' is on one line of main.go");
        at = i + 1;
      }
    }
    assertTrue(at > 0, "'" + text + "' is a line of main.go");
    return at;
  }

  /** A JSON value as maps, lists, strings, longs and booleans. */
  static Object value(JsonParser p) throws IOException {
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
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    return p.getText();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(String ndjson) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try (JsonParser p = JSON.createParser(line)) {
        p.nextToken();
        out.add((Map<String, Object>) value(p));
      }
    }
    return out;
  }

  /** The stack of one event as "function file:line[ inlined]" strings, and its end. */
  @SuppressWarnings("unchecked")
  static String signature(Map<String, Object> event) {
    Map<String, Object> stack = (Map<String, Object>) event.get("stack");
    assertTrue(stack != null, "the event has a stack: " + event);
    StringBuilder b = new StringBuilder();
    for (Object o : (List<Object>) stack.get("frames")) {
      Map<String, Object> f = (Map<String, Object>) o;
      String file = (String) f.get("file");
      b.append(f.get("func")).append(' ').append(file.substring(file.lastIndexOf('/') + 1));
      if (!f.get("func").equals("runtime.main")) { // the runtime's own lines are not the test's
        b.append(':').append(f.get("line"));
      }
      b.append(Boolean.TRUE.equals(f.get("inlined")) ? " inlined" : "").append(" | ");
    }
    return b.append(stack.get("end")).toString();
  }

  /** The three chains' stacks, each with its count over {@link #ROUNDS} rounds. */
  static Map<String, Long> expectedChains(TestBinary t, String leafLine) throws IOException {
    String round = " | main.main main.go:" + line(t, "round()") + " | runtime.main proc.go | complete";
    Map<String, Long> m = new TreeMap<>();
    m.put("main.leaf main.go:" + leafLine + " | main.chainA main.go:" + line(t, "sink += leaf()")
        + " | main.round main.go:" + line(t, "chainA()") + round, 3L * ROUNDS);
    m.put("main.leaf main.go:" + leafLine + " | main.mid main.go:" + line(t, "return leaf() + 1")
        + " | main.chainB main.go:" + line(t, "sink += mid()") + " | main.round main.go:" + line(t, "chainB()") + round,
        5L * ROUNDS);
    m.put("main.leaf main.go:" + leafLine + " | main.wrap main.go:" + line(t, "return leaf() * 2") + " inlined"
        + " | main.chainC main.go:" + line(t, "sink += wrap()") + " | main.round main.go:" + line(t, "chainC()") + round,
        7L * ROUNDS);
    return m;
  }

  static Map<String, Long> count(List<Map<String, Object>> events) {
    Map<String, Long> m = new TreeMap<>();
    for (Map<String, Object> e : events) {
      m.merge(signature(e), 1L, Long::sum);
    }
    return m;
  }

  /**
   * The line frame 0 of main.leaf shows: its probe is after the stack check, which the compiler
   * places on the declaration line (what pclntab says there is checked in the symboliser's unit
   * test); any other line of leaf would be wrong.
   */
  static String leafLine(TestBinary t, Map<String, Long> seen) throws IOException {
    int decl = line(t, "func leaf() int {");
    String first = seen.keySet().iterator().next();
    String l = first.substring("main.leaf main.go:".length(), first.indexOf(' ', "main.leaf main.go:".length()));
    assertTrue(l.equals("" + decl) || l.equals("" + (decl + 1)), "main.leaf's frame at its entry: line " + l);
    return l;
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void funcsShowsEachChainWithItsExactCountAndItsSourceLines(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = look(series);
    CliRun r = CliRun.of("funcs", "main.leaf", "--stack", "--json", "--", t.path().toString(), "-n", "" + ROUNDS);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("calls main.leaf " + 15 * ROUNDS), r.err());
    List<Map<String, Object>> events = objects(r.out());
    assertEquals(15 * ROUNDS, events.size(), r.out());
    Map<String, Long> seen = count(events);
    assertEquals(expectedChains(t, leafLine(t, seen)), seen);
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.27"})
  void aDepthCutSaysSoAfterTheFramesItKept(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = look(series);
    CliRun r = CliRun.of("funcs", "main.leaf", "--stack=2", "--", t.path().toString(), "-n", "" + ROUNDS);
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = List.of(r.out().split("\n"));
    long cut = lines.stream().filter(l -> l.equals("    ... stack cut at depth 2 (--stack=N for more)")).count();
    assertEquals(15 * ROUNDS, cut, r.out());
    int i = lines.indexOf("    main.mid (main.go:" + line(t, "return leaf() + 1") + ")");
    assertTrue(i > 0, r.out());
    assertTrue(lines.get(i - 1).startsWith("    main.leaf (main.go:"), r.out());
    assertEquals("    ... stack cut at depth 2 (--stack=N for more)", lines.get(i + 1));
    CliRun json = CliRun.of("funcs", "main.leaf", "--stack=1", "--json", "--", t.path().toString());
    assertEquals(0, json.exitCode(), json.err());
    for (Map<String, Object> e : objects(json.out())) {
      assertTrue(signature(e).matches("main\\.leaf main\\.go:\\d+ \\| depth"), signature(e));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.27"})
  void latencyCallsCarryTheStackTakenAtTheEntry(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = look(series);
    CliRun r = CliRun.of("latency", "main.leaf", "--calls", "--stack", "--json", "--", t.path().toString(),
        "-n", "" + ROUNDS);
    assertEquals(0, r.exitCode(), r.err());
    List<Map<String, Object>> calls = objects(r.out()).stream().filter(e -> "call".equals(e.get("type"))).toList();
    assertEquals(15 * ROUNDS, calls.size(), r.out());
    Map<String, Long> seen = count(calls);
    assertEquals(expectedChains(t, leafLine(t, seen)), seen);
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.27"})
  void argsAtInlinedCopiesWalkFromInsideTheOuterFrame(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = look(series);
    CliRun r = CliRun.of("args", "main.clamp", "main.leaf", "--stack", "--json", "--", t.path().toString(),
        "-n", "" + ROUNDS);
    assertEquals(0, r.exitCode(), r.err());
    List<Map<String, Object>> all = objects(r.out());
    List<Map<String, Object>> leaf = all.stream()
        .filter(e -> "call".equals(e.get("event")) && "main.leaf".equals(e.get("func"))).toList();
    Map<String, Long> leafSeen = count(leaf);
    assertEquals(expectedChains(t, leafLine(t, leafSeen)), leafSeen, "entries");
    assertTrue(all.stream().filter(e -> "return".equals(e.get("event"))).noneMatch(e -> e.containsKey("stack")),
        "returns carry no stack");
    List<Map<String, Object>> calls = all.stream().filter(e -> "main.clamp".equals(e.get("func"))).toList();
    String clamp = "main.clamp main.go:" + line(t, "if v > cfg.Limit { // CLAMP-LINE") + " inlined";
    String tail = " | main.main main.go:" + line(t, "round()") + " | runtime.main proc.go | complete";
    Map<String, Long> expected = new TreeMap<>();
    expected.put(clamp + " | main.useClampA main.go:" + line(t, "return clamp(v) + 1") + " | main.round main.go:"
        + line(t, "sink += useClampA(i * 70)") + tail, 2L * ROUNDS);
    expected.put(clamp + " | main.useClampB main.go:" + line(t, "return clamp(v+5) * 2") + " | main.round main.go:"
        + line(t, "sink += useClampB(i * 60)") + tail, 3L * ROUNDS);
    Map<String, Long> seen = count(calls);
    // an inlined copy's probe is its first instruction, which may be on clamp's declaration line
    Map<String, Long> normalised = new TreeMap<>();
    int decl = line(t, "func clamp(v int) int {");
    seen.forEach((k, v) -> normalised.merge(k.replace("main.clamp main.go:" + decl + " inlined", clamp), v, Long::sum));
    assertEquals(expected, normalised);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2000", "0"})
  void aDepthOutOfRangeIsAUsageErrorBeforeAnythingIsRead(String n) {
    CliRun r = CliRun.of("funcs", "/nonexistent/binary", "main.leaf", "--stack=" + n);
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("--stack=" + n + " is not a depth gotrace walks"), r.err());
    CliRun bare = CliRun.of("funcs", "--stack", "/nonexistent/binary", "main.leaf");
    assertEquals(ExitCode.NO_TARGET.code(), bare.exitCode(), "a bare --stack takes no word after it: " + bare.err());
    CliRun lat = CliRun.of("latency", "/nonexistent/binary", "main.leaf", "--stack");
    assertEquals(ExitCode.USAGE.code(), lat.exitCode(), lat.err());
    assertTrue(lat.err().contains("add --calls"), lat.err());
  }
}
