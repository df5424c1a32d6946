package dev.gotrace.probes.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.support.ElfSymbols;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.support.Tracer;
import dev.gotrace.probes.support.Workload;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real uprobes on the matrix's Go workload (go1.24/amd64/default), in both attach modes: exact
 * counts through a map and through the ring buffer, cookies per site, the pid filter, and
 * untraced speed after detach.
 */
@ExtendWith(FdLeakCheck.class)
class UprobeAttachTest {
  private static final long HOT = 0x1001;
  private static final long SLEEP = 0x2002;
  private static final int RING = 1 << 22;

  private Path bin;
  private List<UprobeSite> sites;

  @BeforeEach
  void setUp() {
    TestBinaries.requireRoot();
    bin = Workload.binary();
    sites = List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), HOT),
        // past the stack check, as gotrace places its entry probes: a call that grows the stack
        // restarts sleepFor from its first instruction and would count twice there
        new UprobeSite(ElfSymbols.pastStackCheck(bin, "main.sleepFor"), SLEEP));
  }

  private static void drainAll(Tracer t, int expected) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (t.records().size() < expected && System.nanoTime() < deadline) {
      t.poll(100);
    }
    t.drain();
  }

  @ParameterizedTest
  @EnumSource(AttachMode.class)
  void countsExactlyThroughMapAndRingBufferWithCookiesPerSite(AttachMode mode) {
    int n = 20_000;
    try (Tracer t = new Tracer(mode, bin, sites, 0, RING)) {
      Workload.Result loop = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      Workload.Result sleep = Workload.run("-mode", "sleep", "-n", "3", "-sleep-ms", "1");
      assertEquals(0, loop.exitCode(), loop.lines().toString());
      assertEquals(0, sleep.exitCode(), sleep.lines().toString());
      assertEquals(n, loop.calls().get("main.hot"));
      assertEquals(3, sleep.calls().get("main.sleepFor"));

      assertEquals(n, t.count(HOT), "main.hot hits counted in the map");
      assertEquals(3, t.count(SLEEP), "main.sleepFor hits counted in the map");

      drainAll(t, n + 3);
      Map<Long, Long> byCookie = t.records().stream()
          .collect(Collectors.groupingBy(Tracer.Rec::cookie, Collectors.counting()));
      assertEquals(Map.of(HOT, (long) n, SLEEP, 3L), byCookie, "ring-buffer records per cookie");
      assertEquals(0, t.drops(), "no drops with a 4 MiB ring");
      assertTrue(t.link().cookies());
    }
  }

  @ParameterizedTest
  @EnumSource(AttachMode.class)
  void pidFilterExcludesASecondProcessOfTheSameBinary(AttachMode mode) {
    int n = 5_000;
    Workload.Running traced = Workload.start(true, "-mode", "loop", "-n", Integer.toString(n));
    Workload.Running other = Workload.start(true, "-mode", "loop", "-n", Integer.toString(n));
    try (Tracer t = new Tracer(mode, bin, sites, traced.pid(), RING)) {
      traced.go();
      other.go();
      Workload.Result a = traced.finish();
      Workload.Result b = other.finish();
      assertEquals(0, a.exitCode());
      assertEquals(0, b.exitCode());
      assertEquals(n, t.count(HOT), "only the traced process counts");
      drainAll(t, n);
      assertEquals(n, t.records().size());
      assertTrue(t.records().stream().allMatch(r -> r.tgid() == traced.pid()),
          "every record comes from pid " + traced.pid());
    } finally {
      traced.finish();
      other.finish();
    }
  }

  @ParameterizedTest
  @EnumSource(AttachMode.class)
  void afterDetachTheTargetRunsUntraced(AttachMode mode) {
    int n = 200_000;
    Workload.Result before = Workload.run("-mode", "loop", "-n", Integer.toString(n));
    try (Tracer t = new Tracer(mode, bin, sites, 0, RING)) {
      Workload.Result traced = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      t.drain();
      assertEquals(n, t.count(HOT));
      t.detach();
      Workload.Result after = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      assertEquals(0, after.exitCode());
      assertEquals(n, t.count(HOT), "no hit counted after detach");
      System.out.printf("%s: ns/call untraced %.1f, traced %.1f, after detach %.1f%n", mode,
          before.nsPerCall(), traced.nsPerCall(), after.nsPerCall());
      assertTrue(traced.nsPerCall() > 20 * Math.max(1.0, before.nsPerCall()),
          "traced calls are much slower: " + traced.nsPerCall() + " vs " + before.nsPerCall());
      assertTrue(after.nsPerCall() < traced.nsPerCall() / 10,
          "after detach " + after.nsPerCall() + " ns/call, traced " + traced.nsPerCall());
    }
  }
}
