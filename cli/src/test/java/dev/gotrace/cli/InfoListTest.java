package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code gotrace info} and {@code gotrace list} as a user runs them. */
class InfoListTest {
  private static String demo() {
    return TestBinaries.repoRoot().relativize(TestBinaries.demoServer()).toString();
  }

  private static CliRun inRepo(String... args) {
    String[] abs = args.clone();
    for (int i = 0; i < abs.length; i++) {
      if (abs[i].equals(demo())) {
        abs[i] = TestBinaries.demoServer().toString();
      }
    }
    CliRun r = CliRun.of(abs);
    return new CliRun(r.exitCode(),
        r.out().replace(TestBinaries.demoServer().toString(), demo()),
        r.err().replace(TestBinaries.demoServer().toString(), demo()));
  }

  @Test
  void infoOfTheDemoServer() throws IOException {
    CliRun r = inRepo("info", demo());
    assertEquals(0, r.exitCode(), r.err());
    Golden.assertMatches("info-server.txt", r.out());
  }

  @Test
  void listWithSitesOfTheDemoServer() throws IOException {
    CliRun r = inRepo("list", demo(), "main.*", "--sites");
    assertEquals(0, r.exitCode(), r.err());
    Golden.assertMatches("list-server-sites.txt", r.out());
  }

  @Test
  void exactNameAndRegexSelectTheSameFunction() {
    CliRun exact = inRepo("list", demo(), "main.prepareAnswer");
    CliRun regex = inRepo("list", demo(), "re:^main\\.prepare");
    assertEquals(0, exact.exitCode());
    assertEquals(exact.out(), regex.out());
    assertTrue(exact.out().contains("main.prepareAnswer"), exact.out());
    assertTrue(exact.out().endsWith("1 function\n"), exact.out());
  }

  static Stream<TestBinary> workloads() {
    return TestBinaries.where(b -> b.program().equals("workload") && b.variant().equals("default"))
        .stream();
  }

  /** Every line of --json is an object with the documented fields; exits lie inside the function. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void jsonHasTheDocumentedFields(TestBinary b) throws IOException {
    CliRun r = CliRun.of("list", b.path().toString(), "main.*", "--json");
    assertEquals(0, r.exitCode(), r.err());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      rows.add(parse(line));
    }
    assertTrue(rows.size() >= 20, "functions: " + rows.size());
    for (Map<String, Object> row : rows) {
      if (Boolean.TRUE.equals(row.get("inlinedOnly"))) {
        assertTrue((Long) row.get("inlined") > 0, row.toString());
        continue;
      }
      for (String field : List.of("name", "entry", "end", "fileOffset", "file", "line", "inlined",
          "probeEntry", "exits")) {
        assertTrue(row.containsKey(field), field + " missing in " + row);
      }
      long entry = (Long) row.get("entry");
      long end = (Long) row.get("end");
      long probe = (Long) row.get("probeEntry");
      assertTrue(probe >= entry && probe < end, row.toString());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> exits = (List<Map<String, Object>>) row.get("exits");
      for (Map<String, Object> e : exits) {
        long addr = (Long) e.get("addr");
        assertTrue(addr >= entry && addr < end || "tailcall".equals(e.get("kind")), e.toString());
        assertTrue(List.of("ret", "tailcall", "indirect").contains(e.get("kind")), e.toString());
      }
    }
    Map<String, Object> recurse = rows.stream().filter(m -> m.get("name").equals("main.recurse"))
        .findFirst().orElseThrow();
    assertFalse(((List<?>) recurse.get("exits")).isEmpty());
    assertTrue(((String) recurse.get("file")).endsWith("main.go"), recurse.toString());
  }

  @Test
  void theInlinedFunctionSaysWhereItWasInlined() {
    TestBinary b = TestBinaries.get("go1.24", "amd64", "default", "workload");
    CliRun r = CliRun.of("list", b.path().toString(), "main.add");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("(inlined)   main.add "), r.out());
    assertTrue(r.out().matches("(?s)[^\n]*\n(\\s+inlined\\s+into main.inlineUser at \\S+main.go:\\d+\n){2}"
        + "1 function\n"), r.out());
  }

  // ---- bad input: one line, a hint, the documented exit code, no stack trace

  @Test
  void notAGoProgram() {
    assertFailure(CliRun.of("info", "/bin/ls"), ExitCode.NOT_GO, "not a Go program");
  }

  @Test
  void notAnElfFile(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("notes.txt"), "hello, this is text\n".repeat(10));
    assertFailure(CliRun.of("list", f.toString()), ExitCode.NOT_GO, "ELF");
  }

  @Test
  void missingFile() {
    assertFailure(CliRun.of("info", "/no/such/binary"), ExitCode.NO_TARGET, "no such file");
  }

  @Test
  void truncatedGoBinary(@TempDir Path dir) throws IOException {
    byte[] all = Files.readAllBytes(TestBinaries.demoServer());
    Path f = dir.resolve("server-truncated");
    Files.write(f, java.util.Arrays.copyOf(all, all.length / 3));
    CliRun r = CliRun.of("list", f.toString(), "main.*");
    assertFailure(r, ExitCode.CORRUPT, "decoding ");
  }

  @Test
  void patternWithNoMatch() {
    assertFailure(inRepo("list", demo(), "main.noSuchFunction"), ExitCode.NO_MATCH, "matches");
  }

  @Test
  void invalidRegex() {
    assertFailure(inRepo("list", demo(), "re:(unclosed"), ExitCode.USAGE, "regular expression");
  }

  private static void assertFailure(CliRun r, ExitCode code, String fragment) {
    assertEquals(code.code(), r.exitCode(), r.err());
    String[] lines = r.err().split("\n");
    assertEquals(2, lines.length, r.err());
    assertTrue(lines[0].startsWith("gotrace: ") && lines[0].contains(fragment), lines[0]);
    assertTrue(lines[1].startsWith("hint: "), lines[1]);
    assertEquals("", r.out());
  }

  private static Map<String, Object> parse(String line) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(line)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
      return readObject(p);
    }
  }

  private static Map<String, Object> readObject(JsonParser p) throws IOException {
    Map<String, Object> m = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      m.put(name, readValue(p, p.nextToken()));
    }
    return m;
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> readObject(p);
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
          l.add(readValue(p, x));
        }
        yield l;
      }
      case VALUE_NUMBER_INT -> p.getLongValue();
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
      case VALUE_NULL -> null;
      default -> p.getText();
    };
  }
}
