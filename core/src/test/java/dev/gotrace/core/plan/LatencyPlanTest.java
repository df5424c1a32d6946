package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.goelf.sites.ExitSite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cookies of a latency plan's probes and the one-pass table that reads them back. */
class LatencyPlanTest {
  private static LatencyPlan.Exit exit(long address) {
    return new LatencyPlan.Exit(new LatencyPlan.Site(address, address - 0x400000), ExitSite.Kind.RET);
  }

  /** Functions with 0, 1, 2, ... exits, so each function's exits start at a different place. */
  private static LatencyPlan plan(int functions) {
    List<LatencyPlan.Function> fs = new ArrayList<>();
    long at = 0x401000;
    for (int i = 0; i < functions; i++) {
      List<LatencyPlan.Exit> exits = new ArrayList<>();
      for (int k = 0; k < i % 4; k++) {
        exits.add(exit(at + 0x10 + k));
      }
      fs.add(new LatencyPlan.Function(i, "main.f" + i, new LatencyPlan.Site(at, at - 0x400000), exits));
      at += 0x100;
    }
    return new LatencyPlan(Path.of("/bin/workload"), new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow()),
        8, 152, fs, List.of());
  }

  @Test
  void eachExitCookieNamesItsFunctionAndItsPlaceInExitsInOrder() {
    LatencyPlan p = plan(2000);
    List<AttachCheck.Probe> probes = p.exitProbes();
    List<LatencyPlan.FunctionExit> exits = p.exitsInOrder();
    assertEquals(p.exitCount(), probes.size());
    assertEquals(p.exitCount(), exits.size());
    for (int g = 0; g < probes.size(); g++) {
      long cookie = probes.get(g).cookie();
      assertEquals(g, (int) (cookie >>> 32));
      LatencyPlan.FunctionExit e = exits.get(g);
      assertSame(p.functions().get((int) cookie), e.function());
      assertEquals(e.exit().site().address(), probes.get(g).address());
    }
  }

  @Test
  void entryCookiesAreFunctionIndexes() {
    LatencyPlan p = plan(7);
    List<AttachCheck.Probe> probes = p.entryProbes();
    for (int i = 0; i < probes.size(); i++) {
      assertEquals(i, probes.get(i).cookie());
      assertEquals(p.functions().get(i).entry().address(), probes.get(i).address());
    }
    assertEquals(7 + p.exitCount(), p.probeCount());
  }

  @Test
  void theEntryPlannersDecodeIsTheOneOfEachSitesFunction() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      Planner.Analysed a = new Planner(Planner.DEFAULT_MAX_SITES).planWithSites(b, List.of(NamePattern.parse("main.*")));
      assertEquals(a.plan().sites().size(), a.sites().size());
      for (int i = 0; i < a.sites().size(); i++) {
        ProbeSite s = a.plan().sites().get(i);
        GoFunc f = b.funcForPc(s.entry()).orElseThrow();
        FunctionSites again = b.sites(f);
        assertEquals(again.exits(), a.sites().get(i).exits(), s.function());
        assertEquals(again.probeEntry(), a.sites().get(i).probeEntry(), s.function());
      }
      // and the latency plan's exits are those exits, in order
      LatencyPlan lat = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
      for (LatencyPlan.Function f : lat.functions()) {
        FunctionSites fs = b.sites(b.funcForPc(f.entry().address()).orElseThrow());
        assertEquals(fs.exits().stream().map(e -> e.address()).toList(),
            f.exits().stream().map(e -> e.site().address()).toList(), f.name());
      }
    }
  }
}
