package dev.gotrace.core.trace;

import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchPlanner;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.spec.GoroutinesSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real uprobes on runtime.newproc1 of the testdata server while it answers N requests, with
 * {@code funcs} probes on the checkSite closure at the same time as an independent witness of the
 * new goroutines' ids: exactly N launches of the closure, created by main.checkSite at the line of
 * its go statement, with distinct new ids equal to the ids the closure runs under.
 */
class GoroutinesLiveTest {
  static final int N = 10;
  static final String CLOSURE = "main.checkSite.func1";

  static List<Path> binaries() {
    List<Path> out = new ArrayList<>();
    for (String series : List.of("go1.15", "go1.24")) {
      for (String v : List.of("default", "stripped", "pie")) {
        out.add(TestBinaries.get(series, "amd64", v, "server").path());
      }
    }
    out.add(TestBinaries.get("go1.15", "amd64", "extlink", "server").path());
    out.add(TestBinaries.get("go1.19", "amd64", "default", "server").path());
    out.add(TestBinaries.get("go1.22", "amd64", "default", "server").path());
    // The current releases, with DWARF and as distributions build them (CurrentGoLaunchesLiveTest has the rest).
    out.add(TestBinaries.get("go1.26", "amd64", "default", "server").path());
    out.add(TestBinaries.get("go1.27", "amd64", "distro", "server").path());
    return out;
  }

  @TestFactory
  Stream<DynamicTest> serverLaunchesMatchTheClosureGoroutines() {
    TestBinaries.requireRoot();
    return binaries().stream().map(bin -> DynamicTest.dynamicTest(
        TestBinaries.cacheDir().relativize(bin).toString(), () -> check(bin)));
  }

  static void check(Path bin) throws Exception {
    List<Event.Launch> launches = new ArrayList<>();
    List<Event.Call> closureCalls = new ArrayList<>();
    long[] lost = {0};
    try (GoBinary b = GoBinary.open(bin);
        GoServer server = GoServer.start(bin)) {
      LaunchPlan plan = new LaunchPlanner().plan(b);
      ProbePlan funcs = new Planner(10).plan(b, List.of(NamePattern.parse(CLOSURE)));
      try (Session t = Session.open(GoroutinesSpec.of(plan, b, Session.DEFAULT_RING_BYTES), b, List.of(server.pid()), Set.of());
          Session f = Session.open(FuncsSpec.of(funcs, b, Session.DEFAULT_RING_BYTES), b, List.of(server.pid()), Set.of())) {
        assertEquals(N, server.requests(N));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline
            && (closureLaunches(launches).size() < N || closureCalls.size() < N)) {
          t.poll(50, e -> collect(e, launches, lost));
          f.poll(50, e -> {
            if (e instanceof Event.Call c) {
              closureCalls.add(c);
            }
          });
        }
        t.drain(e -> collect(e, launches, lost));
      }
    }
    assertEquals(0, lost[0], "records lost");
    List<Event.Launch> mine = closureLaunches(launches);
    assertEquals(N, mine.size(), "launches of " + CLOSURE + ": " + launches);
    for (Event.Launch l : mine) {
      assertEquals("main.checkSite", l.site().function(), l.toString());
      assertTrue(l.site().file().endsWith("main.go"), l.toString());
      assertEquals(58, l.site().line(), "the go statement's line: " + l);
      assertTrue(l.creatorGoid() > 0, l.toString());
      assertTrue(l.newGoid() > 0, l.toString());
      assertTrue(l.newGoid() != l.creatorGoid(), l.toString());
      assertEquals("", l.target(), "a user's closure is not a go wrapper: " + l);
    }
    Set<Long> newIds = mine.stream().map(Event.Launch::newGoid).collect(Collectors.toSet());
    assertEquals(N, newIds.size(), "new goroutine ids distinct: " + mine);
    Set<Long> closureIds = new HashSet<>(closureCalls.stream().map(Event.Call::goid).toList());
    assertEquals(closureIds, newIds, "ids funcs sees in the closure");
    // Every launch has a known function and a creation site, runtime-internal ones included.
    for (Event.Launch l : launches) {
      assertTrue(!l.function().equals("?") && !l.site().function().equals("?"), l.toString());
    }
  }

  private static void collect(Event e, List<Event.Launch> launches, long[] lost) {
    if (e instanceof Event.Launch l) {
      launches.add(l);
    } else if (e instanceof Event.Lost x) {
      lost[0] += x.count();
    }
  }

  private static List<Event.Launch> closureLaunches(List<Event.Launch> all) {
    return all.stream().filter(l -> l.function().equals(CLOSURE)).toList();
  }
}
