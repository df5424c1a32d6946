package dev.gotrace.core.goroutines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
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
 * The workload launches {@code goroutines × rounds} goroutines running main.worker (directly in
 * Go 1.15, through a compiler-made wrapper since 1.17): exactly that many launches, all created by
 * main.spawn, with distinct new ids; the count matches the workload's own {@code calls main.worker}.
 */
class WorkloadLaunchesLiveTest {
  static final int ROUNDS = 4;
  static final int GOROUTINES = 25;

  @TestFactory
  Stream<DynamicTest> workerLaunchesAreCountedExactly() {
    TestBinaries.requireRoot();
    List<TestBinary> bins = new ArrayList<>();
    for (String s : List.of("go1.15", "go1.19", "go1.22", "go1.24")) {
      bins.add(TestBinaries.get(s, "amd64", "default", "workload"));
    }
    bins.add(TestBinaries.get("go1.15", "amd64", "stripped", "workload"));
    bins.add(TestBinaries.get("go1.24", "amd64", "stripped", "workload"));
    return bins.stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> check(t)));
  }

  static void check(TestBinary t) throws Exception {
    Process p = new ProcessBuilder(t.path().toString(), "-wait", "-n", String.valueOf(ROUNDS),
        "-goroutines", String.valueOf(GOROUTINES)).redirectErrorStream(true).start();
    List<Launch> launches = new ArrayList<>();
    long[] lost = {0};
    long reported = -1;
    try (GoBinary b = GoBinary.open(t.path())) {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertTrue(ready != null && ready.startsWith("ready "), ready);
      LaunchPlan plan = new LaunchPlanner().plan(b);
      try (GoroutinesTracer tr = GoroutinesTracer.attach(plan, b, List.of((int) p.pid()), Set.of(),
          GoroutinesTracer.DEFAULT_RING_BYTES)) {
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
          if (e instanceof Launch l) {
            launches.add(l);
          } else if (e instanceof GoroutineEvent.Lost x) {
            lost[0] += x.count();
          }
        });
      }
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, lost[0]);
    assertEquals((long) ROUNDS * GOROUTINES, reported, "the workload's own count");
    List<Launch> workers = launches.stream().filter(l -> l.runs().equals("main.worker")).toList();
    assertEquals(ROUNDS * GOROUTINES, workers.size(),
        "launches per function: " + launches.stream().collect(Collectors.groupingBy(Launch::runs, Collectors.counting())));
    for (Launch l : workers) {
      assertEquals("main.spawn", l.site().function(), l.toString());
      assertEquals(166, l.site().line(), l.toString());
      assertTrue(l.newGoid() > 0 && l.creatorGoid() > 0, l.toString());
      if (t.goMinor() >= 17) {
        assertTrue(!l.target().isEmpty() && l.function().startsWith("main.spawn."), l.toString());
      } else {
        assertEquals("main.worker", l.function());
      }
    }
    assertEquals(workers.size(), workers.stream().map(Launch::newGoid).distinct().count(), "distinct new ids");
  }
}
