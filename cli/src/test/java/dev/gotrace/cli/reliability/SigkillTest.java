package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.objects.BpfObjects;
import dev.gotrace.testdata.BpfHeld;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gotrace killed with SIGKILL in the middle of a trace: the target keeps running and its calls
 * are back to untraced speed, and the kernel holds none of the programs or links gotrace had
 * (checked by id through bpf(2), so other tracers running meanwhile do not matter).
 */
class SigkillTest {
  private static final int CALLS = 100_000;

  @TempDir Path tmp;

  @Test
  void killedTracerLeavesTheTargetRunningUntracedAndNothingInTheKernel() throws Exception {
    TestBinaries.requireRoot();
    Path wl = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    double untraced = GoProcess.nsPerCall(wl, CALLS);
    try (GoProcess target = GoProcess.start(wl, "-mode", "forever", "-pause-ms", "20");
        GotraceJvm gotrace = GotraceJvm.start(tmp, "funcs", "funcs", wl.toString(), "main.hot", "main.recurse")) {
      gotrace.awaitAttached();
      BpfHeld held = BpfHeld.of(gotrace.pid());
      assertFalse(held.programs().isEmpty() || held.links().isEmpty(), "gotrace holds a program and a link: " + held);
      Set<String> names = held.programs().stream().map(id -> BpfObjects.program(id).orElseThrow().name())
          .collect(Collectors.toSet());
      assertTrue(names.stream().allMatch(n -> n.startsWith("gotrace_")), names.toString());
      double traced = GoProcess.nsPerCall(wl, CALLS);
      assertTrue(traced > 20 * Math.max(1.0, untraced), "traced " + traced + " vs untraced " + untraced + " ns/call");

      gotrace.process().destroyForcibly(); // SIGKILL
      assertEquals(128 + 9, gotrace.waitFor());

      assertTrue(eventually(() -> held.programs().stream().allMatch(id -> BpfObjects.program(id).isEmpty())),
          "programs left: " + held.programs().stream().map(BpfObjects::program).toList());
      assertTrue(eventually(() -> BpfObjects.links().stream().noneMatch(l -> held.links().contains(l.id())
          || held.programs().contains(l.programId()))), "links left: " + BpfObjects.links());
      double after = GoProcess.nsPerCall(wl, CALLS);
      System.out.printf("per call: untraced %.1f ns, traced %.1f ns, after SIGKILL %.1f ns%n", untraced, traced, after);
      assertTrue(after < traced / 10, "untraced again: " + after + " ns/call (traced " + traced + ")");

      assertTrue(target.process().isAlive(), "the target survived: " + target.output());
      target.process().toHandle().destroy(); // SIGTERM (and the pipe stays open): it prints its counts, exits 0
      assertEquals(0, target.waitFor(), target.output());
      assertTrue(target.output().contains("calls main.recurse "), target.output());
    }
  }

  /** The kernel frees a link's program after an RCU grace period: wait up to 10 s. */
  static boolean eventually(java.util.function.BooleanSupplier check) throws InterruptedException {
    for (int i = 0; i < 200 && !check.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    return check.getAsBoolean();
  }
}
