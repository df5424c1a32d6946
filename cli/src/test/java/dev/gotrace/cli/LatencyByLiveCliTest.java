package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code latency --by} and {@code --where} as root on the matrix's servers (private copies in
 * the cache): requests with known values, and each group's count and each selection exactly as
 * many as were sent; on the stack ABI (Go 1.15), the register ABI (1.24, 1.27), and a stripped
 * build with positional typed arguments.
 */
class LatencyByLiveCliTest {
  /** One request: a path, a name and a year. */
  record Request(String path, String name, int year) {
    static Request of(String name, int year) {
      return new Request("/", name, year);
    }
  }

  private static Path server(String series, String variant) {
    return TestBinaries.get(series, "amd64", variant, "server").path();
  }

  /**
   * Runs gotrace {@code args} (after {@code BINARY ... -p PID}) against a fresh server of
   * {@code bin}, sends {@code requests} once the probes are in, and returns what it printed; it
   * ends at {@code --count count}, the calls it counts.
   */
  static CliRun traced(Path bin, List<Request> requests, long count, String... args) throws Exception {
    try (GoServer server = GoServer.start(bin)) {
      List<String> all = new ArrayList<>(List.of(args[0], bin.toString()));
      all.addAll(List.of(args).subList(1, args.length));
      all.addAll(List.of("-p", Integer.toString(server.pid()), "--count", Long.toString(count), "--duration", "60s"));
      FuncsLiveCliTest.Running g = FuncsLiveCliTest.Running.start(all.toArray(String[]::new));
      g.awaitAttached();
      HttpClient client = HttpClient.newHttpClient();
      for (Request r : requests) {
        String uri = server.base() + r.path() + "?name=" + URLEncoder.encode(r.name(), StandardCharsets.UTF_8)
            + "&year=" + r.year();
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(uri)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode(), uri);
      }
      int exit = g.exit().get(60, TimeUnit.SECONDS);
      return new CliRun(exit, g.out().toString(), g.err().toString());
    }
  }

  /** The count of each section {@code FUNCTION  LABEL  count N}, in the order printed. */
  static Map<String, Long> sections(String out, String function) {
    Map<String, Long> m = new LinkedHashMap<>();
    Matcher x = Pattern.compile("(?m)^" + Pattern.quote(function) + "  (.+?)  count (\\d+)  mean ").matcher(out);
    while (x.find()) {
      m.put(x.group(1), Long.parseLong(x.group(2)));
    }
    return m;
  }

  private static final List<Request> YEARS = List.of(Request.of("a", 2021), Request.of("b", 2020),
      Request.of("c", 2021), Request.of("d", 2019), Request.of("e", 2021), Request.of("f", 2020));

  @TestFactory
  Stream<DynamicTest> byYearCountsEachGroupExactly() {
    TestBinaries.requireRoot();
    return Stream.of("go1.15", "go1.24", "go1.27").map(series -> DynamicTest.dynamicTest(series, () -> {
      CliRun r = traced(server(series, "default"), YEARS, 6, "latency", "main.prepareAnswer", "--by", "year");
      assertEquals(0, r.exitCode(), r.err());
      // sorted by count: the most calls first
      assertEquals(Map.of("year=2021", 3L, "year=2020", 2L, "year=2019", 1L), sections(r.out(), "main.prepareAnswer"),
          r.out());
      assertEquals(List.of("year=2021", "year=2020", "year=2019"),
          List.copyOf(sections(r.out(), "main.prepareAnswer").keySet()), r.out());
      assertTrue(r.out().contains("\nmain.prepareAnswer  count 6  mean "), "the function's total too: " + r.out());
      assertTrue(r.out().lines().anyMatch(l -> l.matches("  \\[\\S+, \\S+\\) +\\d+ \\|@+ *\\|")), r.out());
      assertTrue(!r.err().contains("Exception"), r.err());
      System.out.println(r.out());
    }));
  }

  @Test
  void sortByKeyAndJsonCarriesTypedKeys() throws Exception {
    TestBinaries.requireRoot();
    CliRun r = traced(server("go1.24", "default"), YEARS, 6, "latency", "main.prepareAnswer", "--by", "year,name",
        "--json");
    assertEquals(0, r.exitCode(), r.err());
    String t = r.out();
    assertEquals(1, t.lines().count(), t);
    assertTrue(t.contains("\"functions\":[{\"function\":\"main.prepareAnswer\",\"count\":6,"), t);
    // the year a JSON number, the name a JSON string: every request its own key
    for (Request q : YEARS) {
      assertTrue(t.contains("{\"key\":{\"year\":" + q.year() + ",\"name\":\"" + q.name() + "\"},\"count\":1,"),
          q + " in " + t);
    }
    CliRun sorted = traced(server("go1.24", "default"), YEARS, 6, "latency", "main.prepareAnswer", "--by", "year",
        "--sort", "key");
    assertEquals(List.of("year=2019", "year=2020", "year=2021"),
        List.copyOf(sections(sorted.out(), "main.prepareAnswer").keySet()), sorted.out());
  }

  @Test
  void aStringLongerThanKeyBytesIsCutAndSaysSo() throws Exception {
    TestBinaries.requireRoot();
    List<Request> names = List.of(Request.of("GopherConRussia2020", 1), Request.of("Go", 2),
        Request.of("GopherConRussia2021", 3));
    CliRun r = traced(server("go1.24", "default"), names, 3, "latency", "main.prepareAnswer", "--by", "name",
        "--key-bytes", "8");
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Long> s = sections(r.out(), "main.prepareAnswer");
    // both long names share their first 8 bytes: one key, cut, with the full length
    String cut = s.keySet().stream().filter(k -> k.startsWith("name=\"GopherCo")).findFirst().orElseThrow(
        () -> new AssertionError(r.out()));
    assertEquals(2L, s.get(cut), r.out());
    assertTrue(cut.contains("cut") && cut.contains("19"), cut);
    assertEquals(1L, s.get("name=\"Go\""), r.out());
  }

  @Test
  void aFieldThroughAPointer() throws Exception {
    TestBinaries.requireRoot();
    List<Request> paths = List.of(new Request("/a", "x", 1), new Request("/b", "x", 1), new Request("/a", "x", 1));
    for (String series : List.of("go1.15", "go1.27")) {
      CliRun r = traced(server(series, "default"), paths, 3, "latency", "main.handler", "--by", "r.URL.Path");
      assertEquals(0, r.exitCode(), r.err());
      assertEquals(Map.of("r.URL.Path=\"/a\"", 2L, "r.URL.Path=\"/b\"", 1L), sections(r.out(), "main.handler"),
          series + ": " + r.out());
    }
  }

  @Test
  void whereOnAnIntAndAStringPrefixCountsExactly() throws Exception {
    TestBinaries.requireRoot();
    // the rejected first: every call is made while the probes are in
    List<Request> reqs = List.of(Request.of("Rust", 2019), Request.of("Gopher", 2020), Request.of("Go", 2021),
        Request.of("Zig", 2022), Request.of("Gordon", 2023));
    for (String series : List.of("go1.15", "go1.24")) {
      CliRun ints = traced(server(series, "default"), reqs, 3, "latency", "main.prepareAnswer", "--where",
          "year >= 2021");
      assertEquals(0, ints.exitCode(), ints.err());
      assertTrue(ints.out().contains("\nmain.prepareAnswer  count 3  mean "), series + ": " + ints.out());
      CliRun prefix = traced(server(series, "default"), reqs, 3, "latency", "main.prepareAnswer", "--where",
          "hasPrefix(name, \"Go\")", "--by", "year");
      assertEquals(0, prefix.exitCode(), prefix.err());
      assertEquals(Map.of("year=2020", 1L, "year=2021", 1L, "year=2023", 1L),
          sections(prefix.out(), "main.prepareAnswer"), series + ": " + prefix.out());
      assertTrue(prefix.out().contains("\nmain.prepareAnswer  count 3  mean "), prefix.out());
    }
  }

  @Test
  void theKeyCapCountsTheRestAsOther() throws Exception {
    TestBinaries.requireRoot();
    List<Request> reqs = List.of(Request.of("a", 2021), Request.of("a", 2020), Request.of("a", 2019),
        Request.of("a", 2021), Request.of("a", 2018), Request.of("a", 2017), Request.of("a", 2019));
    CliRun r = traced(server("go1.24", "default"), reqs, 7, "latency", "main.prepareAnswer", "--by", "year",
        "--max-keys", "2");
    assertEquals(0, r.exitCode(), r.err());
    // the first two keys seen hold the table; the other 4 calls are (other), never dropped
    assertEquals(Map.of("year=2021", 2L, "year=2020", 1L, "(other)", 4L), sections(r.out(), "main.prepareAnswer"),
        r.out());
    assertTrue(r.out().contains("--max-keys 2"), r.out());
  }

  @Test
  void strippedBuildsGroupByPositionalTypedArguments() throws Exception {
    TestBinaries.requireRoot();
    // the register ABI: without DWARF the stack ABI (Go 1.15) places only arg0, and says so
    for (String series : List.of("go1.24", "go1.27")) {
      CliRun r = traced(server(series, "stripped"), YEARS, 6, "latency", "main.prepareAnswer", "--by", "arg1:int");
      assertEquals(0, r.exitCode(), r.err());
      assertEquals(Map.of("arg1:int=2021", 3L, "arg1:int=2020", 2L, "arg1:int=2019", 1L),
          sections(r.out(), "main.prepareAnswer"), series + ": " + r.out());
    }
  }

  @Test
  void topShowsARowPerKey() throws Exception {
    TestBinaries.requireRoot();
    CliRun r = traced(server("go1.24", "default"), YEARS, 6, "top", "main.prepareAnswer", "--by", "year",
        "--interval", "500ms");
    assertEquals(0, r.exitCode(), r.err());
    String[] tables = r.out().split("\n\n");
    List<String> last = tables[tables.length - 1].lines().toList();
    assertTrue(last.get(2).matches("FUNCTION +year +CALLS/S +CALLS +MEAN +P50 +P99 +MAX +INFLIGHT"), last.get(2));
    Map<String, Long> rows = new LinkedHashMap<>();
    Pattern row = Pattern.compile("main\\.prepareAnswer +(\\d+) +\\d+\\.\\d +(\\d+) .*");
    for (String l : last) {
      Matcher m = row.matcher(l);
      if (m.matches()) {
        rows.put(m.group(1), Long.parseLong(m.group(2)));
      }
    }
    assertEquals(Map.of("2021", 3L, "2020", 2L, "2019", 1L), rows, String.join("\n", last));
  }

  /** A result, on the workload: main.withError(r%2 == 1) returns an error on odd rounds. */
  @TestFactory
  Stream<DynamicTest> aResultDecidedAtTheExit() {
    TestBinaries.requireRoot();
    return Stream.of("go1.15", "go1.24", "go1.27").map(series -> DynamicTest.dynamicTest(series, () -> {
      String bin = TestBinaries.get(series, "amd64", "default", "workload").path().toString();
      CliRun by = CliRun.of("latency", "main.withError", "--by", "ret0 != nil", "--", bin, "-n", "5",
          "-goroutines", "1");
      assertEquals(0, by.exitCode(), by.err());
      assertEquals(Map.of("ret0 != nil=false", 3L, "ret0 != nil=true", 2L), sections(by.out(), "main.withError"),
          series + ": " + by.out());
      CliRun where = CliRun.of("latency", "main.withError", "--where", "ret0 != nil", "--", bin, "-n", "7",
          "-goroutines", "1");
      assertEquals(0, where.exitCode(), where.err());
      assertTrue(where.out().contains("\nmain.withError  count 3  mean "), series + ": " + where.out());
      assertTrue(!where.out().contains("not in the numbers"), "kept entries are deleted by their exit: " + where.out());
    }));
  }

  /**
   * Two functions whose keys differ in type and size (a string result, an int result): two
   * query groups in one program, each keyed as its own.
   */
  @Test
  void twoFunctionsKeyedByResultsOfDifferentTypes() throws Exception {
    TestBinaries.requireRoot();
    List<Request> reqs = List.of(Request.of("x", 2021), Request.of("x", 2021), Request.of("yy", 2021));
    CliRun r = traced(server("go1.24", "default"), reqs, 6, "latency", "main.prepareAnswer", "main.checkSite", "--by",
        "ret0");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(Map.of("ret0=200", 3L), sections(r.out(), "main.checkSite"), r.out());
    assertEquals(Map.of("ret0=\"Hello, x! The year is 2021 and the site answered 200.\\n\"", 2L,
        "ret0=\"Hello, yy! The year is 2021 and the site answered 200.\\n\"", 1L),
        sections(r.out(), "main.prepareAnswer"), r.out());
  }
}
