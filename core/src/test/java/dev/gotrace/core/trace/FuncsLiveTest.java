package dev.gotrace.core.trace;

import dev.gotrace.core.spec.FuncsSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real uprobes on the testdata server while it answers N requests: exact call counts, goroutine
 * ids that tie a request's handler to its prepareAnswer and set the checkSite closure apart, and
 * callers resolved through pclntab. Register ABI (R14) and stack ABI (Go 1.15, g through fsbase),
 * with and without DWARF, PIE and external linking.
 */
class FuncsLiveTest {
  static final int N = 12;
  static final List<String> TRACED = List.of("main.handler", "main.checkSite", "main.checkSite.func1",
      "main.prepareAnswer", "main.ping");

  static List<Path> binaries() {
    List<Path> out = new ArrayList<>();
    out.add(TestBinaries.demoServer());
    for (String v : List.of("default", "stripped", "pie", "extlink")) {
      out.add(TestBinaries.get("go1.24", "amd64", v, "server").path());
    }
    for (String v : List.of("default", "stripped", "pie", "extlink")) {
      out.add(TestBinaries.get("go1.15", "amd64", v, "server").path());
    }
    out.add(TestBinaries.get("go1.19", "amd64", "default", "server").path());
    return out;
  }

  @TestFactory
  Stream<DynamicTest> serverUnderFuncsMainStar() {
    TestBinaries.requireRoot();
    return binaries().stream().map(bin -> DynamicTest.dynamicTest(
        TestBinaries.cacheDir().relativize(bin.toAbsolutePath()).toString().startsWith("..")
            ? bin.getFileName().toString() : TestBinaries.cacheDir().relativize(bin).toString(),
        () -> check(bin)));
  }

  static void check(Path bin) throws Exception {
    List<Event.Call> calls = new ArrayList<>();
    ProbePlan plan;
    try (GoBinary b = GoBinary.open(bin);
        GoServer server = GoServer.start(bin)) {
      plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
      try (Session t = Session.open(FuncsSpec.of(plan, b, Session.DEFAULT_RING_BYTES), b, List.of(), Set.of())) {
        assertEquals(N, server.requests(N));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && calls.size() < N * TRACED.size()) {
          t.poll(100, e -> {
            if (e instanceof Event.Call c && c.pid() == server.pid()) {
              calls.add(c);
            }
          });
        }
        t.drain(e -> {
          if (e instanceof Event.Call c && c.pid() == server.pid()) {
            calls.add(c);
          }
        });
        assertEquals(0, t.drops());
      }
    }
    Map<String, Long> counts = new TreeMap<>(calls.stream()
        .collect(Collectors.groupingBy(Event.Call::function, Collectors.counting())));
    Map<String, Long> expected = new TreeMap<>();
    TRACED.forEach(f -> expected.put(f, (long) N));
    assertEquals(expected, counts, "calls per function while serving " + N + " requests");

    // Goroutines: handler and prepareAnswer of one request run on the connection's goroutine;
    // the closure runs on a new goroutine each time.
    List<Long> handlerGoids = goids(calls, "main.handler");
    List<Long> answerGoids = goids(calls, "main.prepareAnswer");
    List<Long> closureGoids = goids(calls, "main.checkSite.func1");
    assertTrue(calls.stream().allMatch(c -> c.goid() > 0), "every goid read: " + calls);
    assertEquals(handlerGoids.stream().sorted().toList(), answerGoids.stream().sorted().toList(),
        "prepareAnswer runs on its handler's goroutine");
    assertEquals(N, new HashSet<>(closureGoids).size(), "one new goroutine per closure call");
    for (Long g : closureGoids) {
      assertTrue(!handlerGoids.contains(g), "closure goroutine " + g + " differs from handlers'");
    }
    Map<Long, List<String>> perGoroutine = new TreeMap<>();
    for (Event.Call c : calls) {
      perGoroutine.computeIfAbsent(c.goid(), k -> new ArrayList<>()).add(c.function());
    }
    for (Long g : new HashSet<>(handlerGoids)) {
      List<String> seq = perGoroutine.get(g);
      for (int i = 0; i < seq.size(); i += 3) {
        assertEquals(List.of("main.handler", "main.checkSite", "main.prepareAnswer"), seq.subList(i, i + 3),
            "goroutine " + g);
      }
    }

    // Callers through pclntab: prepareAnswer and checkSite are called by the handler.
    for (Event.Call c : calls) {
      if (c.function().equals("main.prepareAnswer") || c.function().equals("main.checkSite")) {
        assertEquals("main.handler", c.caller().function(), c.toString());
        assertTrue(c.caller().file().endsWith("main.go"), c.toString());
        assertTrue(c.caller().line() > 0, c.toString());
      }
      long now = System.currentTimeMillis() * 1_000_000L;
      assertTrue(Math.abs(now - c.wallNs()) < 60_000_000_000L, "timestamp near now: " + c.wallNs());
    }
    Event.Call sample = calls.stream().filter(c -> c.function().equals("main.prepareAnswer")).findFirst().orElseThrow();
    System.out.printf("%s: %s, %d sites, g via %s, goid@%d (%s); e.g. %s goid %d from %s %s:%d%n", bin,
        plan.goVersion(), plan.sites().size(), plan.g(), plan.goidOffset(), plan.goidFromDwarf() ? "DWARF" : "table",
        sample.function(), sample.goid(), sample.caller().function(), sample.caller().file(), sample.caller().line());
    boolean registerAbi = plan.goVersion().atLeast(1, 17);
    assertEquals(registerAbi, plan.g() instanceof GAccess.InRegister, plan.g().toString());
    assertNotEquals(0, plan.sites().size());
  }

  private static List<Long> goids(List<Event.Call> calls, String f) {
    return calls.stream().filter(c -> c.function().equals(f)).map(Event.Call::goid).toList();
  }
}
