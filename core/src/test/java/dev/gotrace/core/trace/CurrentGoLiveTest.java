package dev.gotrace.core.trace;

import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.spec.LatencySpec;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Note;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import dev.gotrace.testdata.WorkloadCounts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Go series of the matrix (December 2026: 1.27 current, 1.26 supported, back to 1.15) in
 * every build users run: default, stripped ({@code -s -w}), PIE, extlink, trimpath and {@code
 * distro} (cgo, {@code -trimpath}, external link, {@code -s -w}, as Debian builds Go programs).
 * One traced run per binary, checking several things at once to keep CI time down:
 *
 * <ul>
 *   <li>the workload under {@code funcs} and {@code latency} together, on every {@code main.*}
 *       function: for each function the workload counts, exactly as many calls as it prints, and as
 *       many completed timings, none unmatched, never exited or still in flight;
 *   <li>the server under {@code args} on {@code main.prepareAnswer}: each request's arguments and
 *       result, typed where the binary has DWARF, else the raw words of the argument registers
 *       or, with the stack ABI (Go 1.15), of the first stack slots (the string's pointer and
 *       length, then the two ints), with the note saying so.
 * </ul>
 *
 * Nothing here is skipped under {@code CI=true}: a missing binary or privilege fails.
 */
class CurrentGoLiveTest {
  static final List<String> VARIANTS = List.of("default", "stripped", "pie", "extlink", "trimpath", "distro");
  /** Workload flags: two rounds, a shallow recursion, three goroutines per round. */
  static final int ROUNDS = 2;
  static final int DEPTH = 30;
  static final int GOROUTINES = 3;
  /** Requests made to the server. */
  static final int N = 4;

  static boolean hasDwarf(String variant) {
    return !variant.equals("stripped") && !variant.equals("distro");
  }

  @TestFactory
  Stream<DynamicTest> workloadUnderFuncsAndLatency() {
    TestBinaries.requireRoot();
    return builds("workload").map(b -> DynamicTest.dynamicTest(b.label(), () -> workload(b)));
  }

  @TestFactory
  Stream<DynamicTest> serverUnderArgs() {
    TestBinaries.requireRoot();
    return builds("server").map(b -> DynamicTest.dynamicTest(b.label(), () -> server(b)));
  }

  /**
   * Every series of the matrix in every amd64 variant it was built in (the README's table of
   * supported versions is this list).
   */
  static Stream<TestBinary> builds(String program) {
    List<TestBinary> out = new ArrayList<>();
    for (String s : TestBinaries.series()) {
      for (String v : VARIANTS) {
        out.addAll(TestBinaries.where(t -> t.series().equals(s) && t.arch().equals("amd64")
            && t.variant().equals(v) && t.program().equals(program)));
      }
    }
    return out.stream();
  }

  /** {@code main.Map[go.shape.int,go.shape.string]} as the workload counts it: {@code main.Map[...]}. */
  static String counted(String function) {
    return function.replaceAll("\\[.*\\]$", "[...]");
  }

  static void workload(TestBinary wl) throws Exception {
    long start = System.nanoTime();
    List<NamePattern> main = List.of(NamePattern.parse("main.*"));
    List<Event.Call> calls = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    Map<String, Long> timedCount = new TreeMap<>();
    Map<String, Long> timedOdd = new TreeMap<>();
    ProbePlan funcsPlan;
    LatencyPlan latPlan;
    Process p = new ProcessBuilder(wl.path().toString(), "-wait", "-n", String.valueOf(ROUNDS), "-depth",
        String.valueOf(DEPTH), "-goroutines", String.valueOf(GOROUTINES)).redirectErrorStream(true).start();
    try (GoBinary b = GoBinary.open(wl.path())) {
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = r.readLine();
      assertTrue(ready != null && ready.startsWith("ready "), String.valueOf(ready));
      funcsPlan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, main);
      latPlan = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(b, main);
      List<Integer> pid = List.of((int) p.pid());
      try (Session f = Session.open(FuncsSpec.of(funcsPlan, b, Session.DEFAULT_RING_BYTES), b, pid, Set.of());
          Session t = Session.open(LatencySpec.of(latPlan, LatencySpec.DEFAULT_MAX_INFLIGHT, OptionalLong.empty(), false), b, pid, Set.of())) {
        OutputStream in = p.getOutputStream();
        in.write('\n');
        in.flush();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          output.append(line).append('\n');
          f.poll(0, e -> collect(e, calls));
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the traced workload exits normally: " + output);
        f.drain(e -> collect(e, calls));
        assertEquals(0, f.drops(), "funcs records dropped");
        for (FunctionLatency x : LatencySpec.functions(t, latPlan)) {
          // two instantiations of one generic function add up, as the workload counts them
          timedCount.merge(counted(x.function()), x.histogram().count(), Long::sum);
          timedOdd.merge(counted(x.function()), x.unmatchedExits() + x.neverExited() + x.inFlight(), Long::sum);
        }
      }
    } finally {
      p.destroyForcibly();
    }
    Map<String, Long> printed = new TreeMap<>(WorkloadCounts.parse(output.toString()));
    // the workload ran as asked: depth+1 recurse calls and the goroutines of each round
    assertEquals((long) ROUNDS * (DEPTH + 1), printed.get("main.recurse"), output.toString());
    assertEquals((long) ROUNDS * GOROUTINES, printed.get("main.worker"), output.toString());
    // main.add exists only inlined (no body to probe); sleepFor and hot are not called in mode all
    printed.remove("main.add");
    assertEquals(0L, printed.remove("main.sleepFor"));
    assertEquals(0L, printed.remove("main.hot"));

    Map<String, Long> seen = new TreeMap<>();
    for (Event.Call c : calls) {
      seen.merge(counted(c.function()), 1L, Long::sum);
      assertTrue(c.goid() > 0, "goid read: " + c);
    }
    Map<String, Long> funcsCounts = new TreeMap<>();
    Map<String, Long> latencyCounts = new TreeMap<>();
    for (String fn : printed.keySet()) {
      funcsCounts.put(fn, seen.getOrDefault(fn, 0L));
      latencyCounts.put(fn, timedCount.getOrDefault(fn, -1L));
      assertEquals(0L, timedOdd.getOrDefault(fn, 0L), fn + ": unmatched exits, never exited or in flight");
    }
    assertEquals(printed, funcsCounts, "funcs: calls per function, as the workload counted them");
    assertEquals(printed, latencyCounts, "latency: completed calls per function, as the workload counted them");
    // main.main was entered before the probes went in (it waits for the go-ahead); each round after
    assertEquals(null, seen.get("main.main"));
    assertEquals((long) ROUNDS, seen.get("main.round"));
    for (Event.Call c : calls) {
      if (c.function().equals("main.recurse")) {
        assertTrue(c.caller().function().equals("main.recurse") || c.caller().function().equals("main.round"),
            c.toString());
      }
    }
    long total = printed.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("%s: %s, %d funcs sites, %d latency probes, %d counted calls of %d functions exact in funcs"
            + " and latency (%d calls traced in all), %.1f s%n", wl.label(), funcsPlan.goVersion(),
        funcsPlan.sites().size(), latPlan.probeCount(), total, printed.size(), calls.size(),
        (System.nanoTime() - start) / 1e9);
  }

  private static void collect(Event e, List<Event.Call> calls) {
    if (e instanceof Event.Call c) {
      calls.add(c);
    }
  }

  static void server(TestBinary srv) throws Exception {
    long start = System.nanoTime();
    boolean dwarf = hasDwarf(srv.variant());
    List<Event> events = new ArrayList<>();
    ArgsPlan plan;
    try (GoBinary b = GoBinary.open(srv.path()); GoServer server = GoServer.start(srv.path())) {
      assertEquals(dwarf, b.dwarf().isPresent(), "DWARF in " + srv.label());
      plan = new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE)
          .plan(b, List.of(NamePattern.parse("main.prepareAnswer")));
      try (Session t = Session.open(ArgsSpec.of(plan, b, Session.DEFAULT_RING_BYTES), b, List.of(server.pid()), Set.of())) {
        assertEquals(N, server.requests(N));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && events.size() < 2 * N) {
          t.poll(100, events::add);
        }
        t.drain(events::add);
        assertEquals(0, t.drops());
      }
    }
    List<Event.Entry> calls = events.stream().filter(e -> e instanceof Event.Entry)
        .map(e -> (Event.Entry) e).toList();
    List<Event.Return> rets = events.stream().filter(e -> e instanceof Event.Return)
        .map(e -> (Event.Return) e).toList();
    assertEquals(N, calls.size(), events.toString());
    assertEquals(N, rets.size(), events.toString());
    boolean registers = plan.notes().stream()
        .noneMatch(n -> n instanceof Note.NoDwarf d && d.registers().isEmpty());
    assertEquals(!dwarf, plan.notes().stream().anyMatch(n -> n instanceof Note.NoDwarf d
        && d.registers().isPresent() == registers), plan.notes().toString());
    for (int i = 0; i < N; i++) {
      Event.Entry c = calls.get(i);
      Event.Return r = rets.get(i);
      String name = "Gopher" + i;
      String answer = "Hello, " + name + "! The year is 2021 and the site answered 200.\n";
      assertEquals("main.prepareAnswer", c.function());
      assertTrue(c.argsKnown(), "typed or raw, the arguments are read: " + c);
      if (dwarf) {
        assertEquals(List.of(new Event.Arg("name", "string", "\"" + name + "\""),
            new Event.Arg("year", "int", "2021"), new Event.Arg("status", "int", "200")), c.args());
        assertEquals(1, r.results().size(), r.toString());
        assertEquals(ValueQuote.expected(answer, ArgsPlanner.DEFAULT_STRSIZE), r.results().get(0).value());
      } else {
        // name is (ptr, len) in RAX, RBX; year and status in RCX, RDI: the four words of the
        // pclntab's argument info (the stack ABI: the same words from 8(SP), then the result's
        // two, the args size being 48)
        List<String> names = c.args().stream().map(Event.Arg::name).toList();
        assertEquals(registers ? List.of("arg0", "arg1", "arg2", "arg3")
            : List.of("arg0", "arg1", "arg2", "arg3", "arg4", "arg5"), names);
        assertTrue(c.args().stream().allMatch(a -> a.type().equals("uintptr")), c.toString());
        assertTrue(rawWord(c.args().get(0).value()) != 0, "the string's pointer: " + c);
        assertEquals(List.of(name.length(), 2021L, 200L).toString(), List.of(rawWord(c.args().get(1).value()),
            rawWord(c.args().get(2).value()), rawWord(c.args().get(3).value())).toString(), c.toString());
        if (registers) {
          // the result string: (ptr, len) in RAX, RBX
          assertEquals(List.of("ret0", "ret1"), r.results().stream().map(Event.Arg::name).toList(),
              r.toString());
          assertTrue(rawWord(r.results().get(0).value()) != 0, r.toString());
          assertEquals(answer.length(), rawWord(r.results().get(1).value()), r.toString());
        } else {
          // the stack ABI puts results after the arguments, whose size only DWARF knows
          assertEquals(List.of(), r.results(), r.toString());
        }
      }
      assertEquals(c.goid(), r.goid());
      assertTrue(c.goid() > 0, c.toString());
      assertTrue(r.latencyNs() > 0 && r.latencyNs() < 1_000_000_000L, "latency " + r.latencyNs());
    }
    System.out.printf("%s: %s -> %s, %.1f s%n", srv.label(), calls.get(0), rets.get(0), (System.nanoTime() - start) / 1e9);
  }

  /** A raw word as gotrace prints it: decimal, or 0x-hex. */
  static long rawWord(String s) {
    return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
  }
}
