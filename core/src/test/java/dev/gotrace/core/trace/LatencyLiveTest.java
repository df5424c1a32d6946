package dev.gotrace.core.trace;

import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.agg.SiteLatency;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.spec.LatencySpec;
import java.util.OptionalLong;
import java.util.Set;

import dev.gotrace.core.decode.Event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real uprobes on the workload (launched with -wait, so every call is seen from its entry): the
 * register ABI (Go 1.24, g in R14) and the stack ABI (Go 1.15, g through fsbase), and stripped
 * builds of both.
 */
class LatencyLiveTest {
  static final List<String> BUILDS = List.of("go1.24/default", "go1.15/default", "go1.24/stripped",
      "go1.15/stripped");

  /** The kernel's totals and the workload's own output. */
  record Run(Map<String, FunctionLatency> byName, Map<String, Long> printed, LatencyPlan plan,
      List<Event.Completed> streamed, long drops, List<SiteLatency> sites) {}

  static Path workload(String build) {
    String[] s = build.split("/");
    return TestBinaries.get(s[0], "amd64", s[1], "workload").path();
  }

  static Run run(Path bin, List<String> args, String... patterns) throws Exception {
    return run(bin, args, java.util.OptionalLong.empty(), patterns);
  }

  static Run run(Path bin, List<String> args, java.util.OptionalLong streamMinNs, String... patterns)
      throws Exception {
    List<Event.Completed> streamed = new ArrayList<>();
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-wait"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (GoBinary b = GoBinary.open(bin)) {
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = r.readLine();
      assertTrue(ready != null && ready.startsWith("ready "), String.valueOf(ready));
      LatencyPlan plan = new LatencyPlanner(1000).plan(b,
          Stream.of(patterns).map(NamePattern::parse).toList());
      try (Session t = Session.open(LatencySpec.of(plan, LatencySpec.DEFAULT_MAX_INFLIGHT, streamMinNs, true), b, List.of((int) p.pid()), Set.of())) {
        OutputStream in = p.getOutputStream();
        in.write('\n');
        in.flush();
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          t.poll(0, e -> streamed.add((Event.Completed) e));
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output.toString());
        Map<String, FunctionLatency> byName = new LinkedHashMap<>();
        while (t.poll(0, e -> streamed.add((Event.Completed) e)) > 0) {
          // drain
        }
        List<FunctionLatency> all = LatencySpec.functions(t, plan);
        all.forEach(f -> byName.put(f.function(), f));
        assertEquals(all.stream().mapToLong(f -> f.histogram().count()).sum(), LatencySpec.completed(t, plan),
            "--count's total (the stats map alone) is the histograms' total");
        return new Run(byName, WorkloadCounts.parse(output.toString()), plan, streamed, t.drops(),
            LatencySpec.sites(t, plan));
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @TestFactory
  Stream<DynamicTest> sleepForTakesItsTime() {
    TestBinaries.requireRoot();
    return BUILDS.stream().map(build -> DynamicTest.dynamicTest(build, () -> {
      Run run = run(workload(build), List.of("-mode", "sleep", "-n", "5", "-sleep-ms", "20"), "main.sleepFor");
      FunctionLatency f = run.byName().get("main.sleepFor");
      Log2Histogram h = f.histogram();
      assertEquals(5, h.count(), f.toString());
      assertEquals(5, java.util.Arrays.stream(h.buckets()).sum());
      // every call slept 20 ms: the exact minimum says so
      assertTrue(h.min() >= 20e6, "min " + h.min());
      // 20 ms = 2^24.25 ns: every call lands in [2^24, 2^25) (16.8 ms - 33.6 ms) or higher
      assertTrue(h.firstBucket() >= 24, "first bucket " + h.firstBucket());
      assertTrue(h.mean() >= 20e6, "mean " + h.mean());
      assertTrue(h.max() < 200e6, "max " + h.max());
      double p50 = h.percentile(0.5);
      assertTrue(p50 >= Log2Histogram.lower(24) && p50 <= h.max(), "p50 " + p50);
      assertEquals(0, f.unmatchedExits());
      assertEquals(0, f.neverExited());
      assertEquals(0, f.inFlight());
      System.out.println(build + ": " + f);
    }));
  }

  @TestFactory
  Stream<DynamicTest> recursionMatchesEveryLevel() {
    TestBinaries.requireRoot();
    return BUILDS.stream().map(build -> DynamicTest.dynamicTest(build, () -> {
      // depth 2000 with a 256-byte frame grows (copies) the stack several times mid-recursion
      Run run = run(workload(build), List.of("-n", "2", "-goroutines", "2"), "main.recurse", "main.mayPanic",
          "main.worker");
      for (String fn : List.of("main.recurse", "main.mayPanic", "main.worker")) {
        FunctionLatency f = run.byName().get(fn);
        assertEquals(run.printed().get(fn), f.histogram().count(), fn + ": " + f);
        assertEquals(0, f.unmatchedExits(), fn + ": " + f);
        assertEquals(0, f.neverExited(), fn + ": " + f);
        assertEquals(0, f.inFlight(), fn + ": " + f);
      }
      assertEquals(4002L, run.printed().get("main.recurse"));
      System.out.println(build + ": " + run.byName().values());
    }));
  }

  @TestFactory
  Stream<DynamicTest> panicUnwoundFramesAreNeverExited() {
    TestBinaries.requireRoot();
    return Stream.of("go1.24/default", "go1.15/default").map(build -> DynamicTest.dynamicTest(build, () -> {
      // runtime.gopanic never returns: the recovery jumps back into mayPanic's frame. Each round
      // panics once at the same depth of the main goroutine, so each later panic finds the
      // previous one's entry (never exited), and the last one stays in flight.
      Run run = run(workload(build), List.of("-n", "3", "-goroutines", "1", "-depth", "10"), "runtime.gopanic",
          "main.mayPanic");
      FunctionLatency gopanic = run.byName().get("runtime.gopanic");
      assertEquals(0, gopanic.histogram().count(), gopanic.toString());
      assertEquals(3, gopanic.neverExited() + gopanic.inFlight(), gopanic.toString());
      assertTrue(gopanic.neverExited() >= 2, gopanic.toString());
      FunctionLatency may = run.byName().get("main.mayPanic");
      assertEquals(9, may.histogram().count(), may.toString());
      assertEquals(0, may.unmatchedExits() + may.neverExited() + may.inFlight(), may.toString());
      System.out.println(build + ": " + gopanic + " " + may + " notes " + run.plan().notes());
    }));
  }

  @TestFactory
  Stream<DynamicTest> streamedCallsAboveAThreshold() {
    TestBinaries.requireRoot();
    return Stream.of("go1.24/default", "go1.15/default").map(build -> DynamicTest.dynamicTest(build, () -> {
      Path bin = workload(build);
      // -n 2: 2 x 2001 recurse calls of which the outer ones are slow; sleepFor is not called in
      // mode all, so stream everything (threshold 0) and compare with the kernel's counts
      Run all = run(bin, List.of("-n", "2", "-goroutines", "1", "-depth", "100"), java.util.OptionalLong.of(0),
          "main.recurse", "main.mayPanic");
      assertEquals(0, all.drops());
      for (String fn : List.of("main.recurse", "main.mayPanic")) {
        List<Event.Completed> mine = all.streamed().stream().filter(c -> c.function().equals(fn)).toList();
        assertEquals(all.byName().get(fn).histogram().count(), mine.size(), fn);
        assertEquals(all.printed().get(fn), (long) mine.size(), fn);
        long[] lat = mine.stream().mapToLong(Event.Completed::latencyNs).sorted().toArray();
        assertEquals(all.byName().get(fn).histogram().max(), lat[lat.length - 1], fn);
        assertEquals(all.byName().get(fn).histogram().min(), lat[0], fn);
        assertTrue(mine.stream().allMatch(c -> c.goid() > 0 && c.exitSite() != 0), fn);
        // by site: the exits' counts and sums add up to the function's, and each streamed call's
        // exit site is counted at that site
        List<SiteLatency> sites = all.sites().stream().filter(x -> x.function().equals(fn)).toList();
        assertEquals(all.byName().get(fn).histogram().count(), sites.stream().mapToLong(SiteLatency::count).sum(), fn);
        assertEquals(all.byName().get(fn).histogram().sum(), sites.stream().mapToLong(SiteLatency::sumNs).sum(), fn);
        for (SiteLatency x : sites) {
          assertEquals(x.count(), mine.stream().filter(c -> c.exitSite() == x.address()).count(), x.toString());
        }
      }
      try (GoBinary b = GoBinary.open(bin)) {
        Event.Completed c = all.streamed().get(0);
        assertTrue(b.sourcePos(c.exitSite()).orElseThrow().toString().contains("main.go:"), c.toString());
      }
      // only calls slower than 10 ms: the five 20 ms sleeps
      Run slow = run(bin, List.of("-mode", "sleep", "-n", "5", "-sleep-ms", "20"),
          java.util.OptionalLong.of(10_000_000), "main.sleepFor", "main.recurse");
      assertEquals(5, slow.streamed().size(), slow.streamed().toString());
      assertTrue(slow.streamed().stream().allMatch(c -> c.function().equals("main.sleepFor")
          && c.latencyNs() >= 20_000_000), slow.streamed().toString());
      System.out.println(build + ": " + slow.streamed());
    }));
  }
}
