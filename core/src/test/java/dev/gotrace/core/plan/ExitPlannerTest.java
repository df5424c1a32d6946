package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** One probe on the real runtime.goexit1 of every amd64 build, never its ABI0 wrapper. */
class ExitPlannerTest {
  @TestFactory
  Stream<DynamicTest> oneSiteInProcGo() {
    return TestBinaries.where(t -> t.arch().equals("amd64")).stream().map(t -> DynamicTest.dynamicTest(
        t.toString(), () -> {
          try (GoBinary b = GoBinary.open(t.path())) {
            ProbePlan p = ExitPlanner.plan(b);
            assertEquals(1, p.sites().size());
            assertEquals("runtime.goexit1", p.sites().get(0).function());
            String file = b.sourcePos(p.sites().get(0).entry()).orElseThrow().file();
            assertTrue(file.endsWith("runtime/proc.go"), file);
          }
        }));
  }
}
