package dev.gotrace.core.trace;

import dev.gotrace.core.spec.FuncsSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A ring too small for a burst: every call is either delivered or reported lost. */
class DropsLiveTest {
  @Test
  void deliveredPlusLostEqualsCalls() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    int n = 20_000;
    long[] calls = {0};
    long[] lost = {0};
    try (GoBinary b = GoBinary.open(bin);
        Launcher.Launched l = Launcher.start(List.of(bin.toString(), "-mode", "loop", "-n", Integer.toString(n)))) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.hot")));
      try (Session t = Session.open(FuncsSpec.of(plan, b, 4096), b, List.of(), Set.of(l.pid()))) {
        l.release();
        String out = new String(l.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(l.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals((long) n, WorkloadCounts.parse(out).get("main.hot"), out);
        t.drain(e -> {
          if (e instanceof Event.Call) {
            calls[0]++;
          } else if (e instanceof Event.Lost x) {
            lost[0] += x.count();
          }
        });
        assertEquals(t.drops(), lost[0]);
      }
    }
    assertTrue(lost[0] > 0, "a 4 KiB ring cannot hold " + n + " records");
    assertEquals(n, calls[0] + lost[0], "delivered " + calls[0] + " + lost " + lost[0]);
  }
}
