package dev.gotrace.core.query;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.link.AttachMode;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The emitted code on real uprobes (as root; not skipped under CI=true): the server answers
 * requests with known names, years and paths, a program made of {@link QueryAsm}'s blocks counts
 * the calls its filter passes and each key, and the counts are exact. Stack ABI (Go 1.15),
 * register ABI (1.24, 1.27), and a stripped build with positional typed roots.
 */
class QueryLiveTest {
  /** (path, name, year) of each request. */
  static final List<String[]> REQUESTS = List.of(
      new String[] {"/", "GopherCon", "2021"}, new String[] {"/api/v1", "GoDays", "2021"},
      new String[] {"/api/v2", "Gopher", "2022"}, new String[] {"/x", "Rust", "2022"},
      new String[] {"/api/v1", "GopherCon", "2022"}, new String[] {"/", "Go", "2019"},
      new String[] {"/api/v1", "" , "2023"}, new String[] {"/y", "GoGoGo", "2020"});

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "go1.15|default|main.prepareAnswer|year >= 2021 && hasPrefix(name, \"Go\")|year|2021=2,2022=2",
      "go1.24|default|main.prepareAnswer|year >= 2021 && hasPrefix(name, \"Go\")|year|2021=2,2022=2",
      "go1.27|default|main.prepareAnswer|year >= 2021 && hasPrefix(name, \"Go\")|year|2021=2,2022=2",
      "go1.24|stripped|main.prepareAnswer|arg1:int >= 2021 && hasPrefix(arg0:string, \"Go\")|arg1:int|2021=2,2022=2",
      "go1.15|default|main.handler|r.Method == \"GET\" && hasPrefix(r.URL.Path, \"/api\")|r.URL.Path|\"/api/v1\"=3,\"/api/v2\"=1",
      "go1.24|default|main.handler|r.Method == \"GET\" && hasPrefix(r.URL.Path, \"/api\")|r.URL.Path|\"/api/v1\"=3,\"/api/v2\"=1",
      "go1.27|default|main.handler|r.Method == \"GET\" && hasPrefix(r.URL.Path, \"/api\")|r.URL.Path|\"/api/v1\"=3,\"/api/v2\"=1",
      "go1.24|default|main.prepareAnswer|name > \"Go\" && name < \"Gp\"|name|\"GoDays\"=1,\"GoGoGo\"=1,\"Gopher\"=1,\"GopherCon\"=2"})
  void countsOfTheFilterAndKeysAreExact(String series, String variant, String function, String where, String by,
      String expected) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = TestBinaries.get(series, "amd64", variant, "server");
    FunctionQuery q;
    ProbeSite site;
    try (GoBinary b = GoBinary.open(t.path())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse(function)));
      site = plan.sites().get(0);
      q = QueryPlanner.plan(Question.parse(Optional.of(where), Optional.of(by), 64),
          Scopes.of(b, b.function(function).orElseThrow()), false);
    }
    int keySize = q.keys().size();
    AttachMode mode = Uprobes.choose().mode();
    try (BpfMap cnt = BpfMap.create(MapSpec.array("cnt", 16, 1));
        BpfMap keys = BpfMap.create(MapSpec.hash("keys", keySize, 8, 64));
        LoadedProgram prog = LoadedProgram.load("gtqlive", program(q),
            mode == AttachMode.UPROBE_MULTI ? AttachType.UPROBE_MULTI : AttachType.PERF_EVENT,
            Map.of("cnt", cnt, "keys", keys));
        GoServer server = GoServer.start(t.path());
        UprobeLink link = Uprobes.attach(prog, t.path(), List.of(new UprobeSite(site.fileOffset(), 0)), server.pid())) {
      HttpClient client = HttpClient.newHttpClient();
      for (String[] r : REQUESTS) {
        HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(server.base() + r[0] + "?name="
            + URLEncoder.encode(r[1], StandardCharsets.UTF_8) + "&year=" + r[2])).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
      }
      ByteBuffer c = ByteBuffer.wrap(cnt.lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(REQUESTS.size(), c.getLong(0), "every call probed");
      Map<String, Long> got = new TreeMap<>();
      long passed = 0;
      for (byte[] k : keys.keys()) {
        long n = ByteBuffer.wrap(keys.lookup(k).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        got.put(q.keys().decode(k).get(0).text(), n);
        passed += n;
      }
      Map<String, Long> want = new TreeMap<>();
      for (String kv : expected.split(",")) {
        want.put(kv.substring(0, kv.lastIndexOf('=')), Long.parseLong(kv.substring(kv.lastIndexOf('=') + 1)));
      }
      assertEquals(want, got, where + " by " + by);
      assertEquals(passed, c.getLong(8), "calls the filter passed");
    }
  }

  /** Results decide at the RET probes: the answer prepareAnswer returns, filtered and keyed by its first 16 bytes. */
  @ParameterizedTest
  @CsvSource({"go1.15", "go1.24", "go1.27"})
  void resultsAreReadAtTheReturns(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = TestBinaries.get(series, "amd64", "default", "server");
    FunctionQuery q;
    List<UprobeSite> rets = new java.util.ArrayList<>();
    try (GoBinary b = GoBinary.open(t.path())) {
      var f = b.function("main.prepareAnswer").orElseThrow();
      for (var e : b.tracedSites(f).exits()) {
        if (e.kind() == dev.gotrace.goelf.sites.ExitSite.Kind.RET) {
          rets.add(new UprobeSite(b.fileOffset(e.address()).getAsLong(), 0));
        }
      }
      q = QueryPlanner.plan(Question.parse(Optional.of("hasPrefix(ret0, \"Hello, Go\") && len(ret0) > 50"),
          Optional.of("ret0"), 16), Scopes.of(b, f), true);
    }
    Map<String, Long> want = new TreeMap<>();
    for (String[] r : REQUESTS) {
      String answer = String.format("Hello, %s! The year is %s and the site answered 200.\n", r[1], r[2]);
      if (answer.startsWith("Hello, Go") && answer.length() > 50) {
        want.merge(new KeyValue.StringKey(answer.substring(0, 16), answer.length(), true).text(), 1L, Long::sum);
      }
    }
    AttachMode mode = Uprobes.choose().mode();
    try (BpfMap cnt = BpfMap.create(MapSpec.array("cnt", 16, 1));
        BpfMap keys = BpfMap.create(MapSpec.hash("keys", q.keys().size(), 8, 64));
        LoadedProgram prog = LoadedProgram.load("gtqexit", program(exitSide(q)),
            mode == AttachMode.UPROBE_MULTI ? AttachType.UPROBE_MULTI : AttachType.PERF_EVENT,
            Map.of("cnt", cnt, "keys", keys));
        GoServer server = GoServer.start(t.path());
        UprobeLink link = Uprobes.attach(prog, t.path(), rets, server.pid())) {
      HttpClient client = HttpClient.newHttpClient();
      for (String[] r : REQUESTS) {
        client.send(HttpRequest.newBuilder(URI.create(server.base() + r[0] + "?name="
            + URLEncoder.encode(r[1], StandardCharsets.UTF_8) + "&year=" + r[2])).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
      }
      Map<String, Long> got = new TreeMap<>();
      for (byte[] k : keys.keys()) {
        got.put(q.keys().decode(k).get(0).text(),
            ByteBuffer.wrap(keys.lookup(k).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
      }
      assertEquals(want, got);
      assertEquals(REQUESTS.size(), ByteBuffer.wrap(cnt.lookup(new byte[4]).orElseThrow())
          .order(ByteOrder.LITTLE_ENDIAN).getLong(0), "one return per call");
    }
  }

  /** The exit side of {@code q} as a query that {@link #program} runs (its filter and keys at the probe). */
  static FunctionQuery exitSide(FunctionQuery q) {
    List<KeyPart> parts = q.keys().parts().stream().map(p -> new KeyPart(p.text(), p.index(), p.kind(), p.source(),
        false, p.offset(), p.size())).toList();
    return new FunctionQuery(q.exitFilter(), Optional.empty(), List.of(), new KeyLayout(parts, q.keys().keyBytes()));
  }

  /** Counts every call in cnt[0]+0, each call the filter passes in cnt[0]+8 and under its key in keys. */
  static Program program(FunctionQuery q) {
    int wb = QueryAsm.windowBytes(q);
    Window w = new Window(-24 - wb, wb);
    int keyOff = w.top() - 200;
    Program.Builder b = Program.builder().add(mov64(Reg.R6, Reg.R1));
    count(b, 0);
    b.addAll(QueryAsm.test(q.entryFilter(), w, "in", "out"));
    count(b, 8);
    for (int i = 0; i < q.keys().size(); i += 8) {
      b.add(st(Size.DW, Reg.R10, keyOff + i, 0));
    }
    b.addAll(QueryAsm.keys(q.keys(), false, w, "k", Reg.R10, keyOff));
    b.add(ldMap(Reg.R1, "keys"), mov64(Reg.R2, Reg.R10), add64(Reg.R2, keyOff), call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "have"), st(Size.DW, Reg.R10, -16, 0), ldMap(Reg.R1, "keys"),
        mov64(Reg.R2, Reg.R10), add64(Reg.R2, keyOff), mov64(Reg.R3, Reg.R10), add64(Reg.R3, -16),
        mov64(Reg.R4, 1), call(Helper.MAP_UPDATE_ELEM), ldMap(Reg.R1, "keys"), mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, keyOff), call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JEQ, Reg.R0, 0, "out"));
    b.label("have").add(mov64(Reg.R1, 1), atomicAdd(Size.DW, Reg.R0, 0, Reg.R1));
    b.label("out").add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  private static void count(Program.Builder b, int at) {
    String skip = "c" + at;
    b.add(st(Size.W, Reg.R10, -4, 0), ldMap(Reg.R1, "cnt"), mov64(Reg.R2, Reg.R10), add64(Reg.R2, -4),
        call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JEQ, Reg.R0, 0, skip), mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R0, at, Reg.R1));
    b.label(skip);
  }
}
