package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probe sites decoded on both cores, once per function, shared by the planners and the attach check. */
class SitesInParallelTest {
  @Test
  void aParallelDecodeOfEveryFunctionIsTheDecodeInOrder() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer()); GoBinary fresh = GoBinary.open(TestBinaries.demoServer())) {
      List<GoFunc> fs = b.functions();
      List<FunctionSites> parallel = SitesInParallel.decode(b, fs);
      assertEquals(fs.size(), parallel.size());
      for (int i = 0; i < fs.size(); i++) {
        FunctionSites one = fresh.sites(fs.get(i));
        FunctionSites p = parallel.get(i);
        String what = fs.get(i).name();
        assertEquals(one.entry(), p.entry(), what);
        assertEquals(one.status(), p.status(), what);
        assertEquals(one.probeEntry(), p.probeEntry(), what);
        assertEquals(one.exits(), p.exits(), what);
        assertEquals(one.boundaries().starts().boxed().toList(), p.boundaries().starts().boxed().toList(), what);
      }
    }
  }

  @Test
  void theAttachCheckReadsThePlannersDecodeInsteadOfDecodingAgain() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      Planner.Analysed a = new Planner(10_000).planWithSites(b, List.of(NamePattern.parse("net/http.*")));
      for (int i = 0; i < a.sites().size(); i++) {
        GoFunc f = b.funcForPc(a.plan().sites().get(i).entry()).orElseThrow();
        // AttachCheck, LatencyPlanner and ArgsPlanner take a function's sites from tracedSites
        assertSame(a.sites().get(i), b.tracedSites(f), f.name());
      }
    }
  }
}
