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
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Go series of the matrix (1.15 to 1.27) in every amd64 build variant: the workload
 * launches {@code rounds × goroutines} goroutines from main.spawn; one session per binary has the
 * goroutines tracer and, as an independent witness, {@code funcs} probes on main.spawn and
 * main.worker. Exactly that many launches of main.worker (through main.spawn.gowrap1, funcN
 * before Go 1.22, directly with the stack ABI), equal to the workload's own count, created by main.spawn at main.go:166 by the goroutine funcs sees in
 * main.spawn, with distinct new ids equal to the ids funcs sees main.worker run under.
 */
class CurrentGoLaunchesLiveTest {
  static final int ROUNDS = 3;
  static final int GOROUTINES = 20;

  static List<TestBinary> binaries() {
    List<TestBinary> out = new ArrayList<>();
    // every series in every amd64 variant it was built in: the goroutines column of the README
    for (String s : TestBinaries.series()) {
      for (String v : List.of("default", "pie", "stripped", "extlink", "trimpath", "distro")) {
        out.addAll(TestBinaries.where(t -> t.series().equals(s) && t.arch().equals("amd64")
            && t.variant().equals(v) && t.program().equals("workload")));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> launchesMatchTheWorkloadAndTheWitness() {
    TestBinaries.requireRoot();
    return binaries().stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> check(t)));
  }

  static void check(TestBinary t) throws Exception {
    List<Event.Launch> launches = new ArrayList<>();
    List<Event.Call> calls = new ArrayList<>();
    long[] lost = {0};
    long reported = -1;
    Process p = new ProcessBuilder(t.path().toString(), "-wait", "-n", String.valueOf(ROUNDS),
        "-goroutines", String.valueOf(GOROUTINES)).redirectErrorStream(true).start();
    try (GoBinary b = GoBinary.open(t.path())) {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertTrue(ready != null && ready.startsWith("ready "), ready);
      LaunchPlan plan = new LaunchPlanner().plan(b);
      assertEquals(b.hasDwarf() ? "DWARF" : "table go1." + t.goMinor() + ", checked against runtime.newproc.func1",
          plan.layout().source());
      ProbePlan witness = new Planner(10).plan(b, List.of(NamePattern.parse("main.spawn"),
          NamePattern.parse("main.worker")));
      List<Integer> pids = List.of((int) p.pid());
      try (Session tr = Session.open(GoroutinesSpec.of(plan, b, Session.DEFAULT_RING_BYTES), b, pids, Set.of());
          Session f = Session.open(FuncsSpec.of(witness, b, Session.DEFAULT_RING_BYTES), b, pids, Set.of())) {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("calls main.worker ")) {
            reported = Long.parseLong(line.substring("calls main.worker ".length()).trim());
          }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        tr.drain(e -> {
          if (e instanceof Event.Launch l) {
            launches.add(l);
          } else if (e instanceof Event.Lost x) {
            lost[0] += x.count();
          }
        });
        f.drain(e -> {
          if (e instanceof Event.Call c) {
            calls.add(c);
          } else if (e instanceof Event.Lost x) {
            lost[0] += x.count();
          }
        });
      }
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, lost[0], "records lost");
    assertEquals((long) ROUNDS * GOROUTINES, reported, "the workload's own count");
    List<Event.Launch> workers = launches.stream().filter(l -> l.runs().equals("main.worker")).toList();
    assertEquals(reported, workers.size(), "launches per function: "
        + launches.stream().collect(Collectors.groupingBy(Event.Launch::runs, Collectors.counting())));
    Set<Long> spawners = goids(calls, "main.spawn");
    Set<Long> workerIds = goids(calls, "main.worker");
    assertEquals(ROUNDS, calls.stream().filter(c -> c.function().equals("main.spawn")).count());
    // what the go statement starts: the compiler's wrapper, named gowrapN since Go 1.22 and funcN
    // in 1.17-1.21 (register ABI), or main.worker itself with the stack ABI's argument frame
    String started = t.goMinor() >= 22 ? "main.spawn.gowrap1" : t.goMinor() >= 17 ? "main.spawn.func1" : "main.worker";
    for (Event.Launch l : workers) {
      assertEquals(started, l.function(), l.toString());
      assertEquals("main.spawn", l.site().function(), l.toString());
      assertTrue(l.site().file().endsWith("main.go"), l.toString());
      assertEquals(166, l.site().line(), l.toString());
      assertTrue(spawners.contains(l.creatorGoid()), "creator " + l.creatorGoid() + " runs main.spawn " + spawners);
      assertTrue(l.newGoid() > 0 && l.newGoid() != l.creatorGoid(), l.toString());
    }
    Set<Long> newIds = workers.stream().map(Event.Launch::newGoid).collect(Collectors.toSet());
    assertEquals(workers.size(), newIds.size(), "distinct new ids");
    assertEquals(workerIds, newIds, "the ids funcs sees main.worker run under");
    for (Event.Launch l : launches) {
      assertTrue(!l.function().equals("?") && !l.site().function().equals("?"), l.toString());
    }
  }

  private static Set<Long> goids(List<Event.Call> calls, String function) {
    return calls.stream().filter(c -> c.function().equals(function)).map(Event.Call::goid).collect(Collectors.toSet());
  }
}
