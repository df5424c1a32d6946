package dev.gotrace.core.goroutines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Plans on every amd64 binary of the test matrix; the version table checked against DWARF. */
class LaunchPlannerTest {

  static List<TestBinary> amd64() {
    return TestBinaries.where(t -> t.arch().equals("amd64"));
  }

  @TestFactory
  Stream<DynamicTest> tableAgreesWithDwarfAndSitesAreValid() {
    return amd64().stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> {
      try (GoBinary b = GoBinary.open(t.path())) {
        LaunchPlan p = new LaunchPlanner(Arch.AMD64).plan(b);
        NewprocLayout table = NewprocLayout.forVersion(b.goVersion()).orElseThrow();
        assertEquals(t.variant().equals("stripped"), p.layout().source().startsWith("table"), p.layout().source());
        assertTrue(same(table, p.layout()), "table " + table + " vs " + p.layout());
        assertFalse(p.sites().get(0).exit());
        assertTrue(p.sites().size() >= 2, p.sites().toString());
        for (LaunchSite s : p.sites()) {
          assertEquals(b.fileOffset(s.address()).getAsLong(), s.fileOffset());
        }
        assertEquals(b.gLayout().known().orElseThrow().goid(), p.goidOffset());
        assertTrue(p.notes().isEmpty(), p.notes().toString());
      }
    }));
  }

  /** Stripped twins get the same probe sites and layout as their unstripped builds. */
  @TestFactory
  Stream<DynamicTest> strippedTwinsPlanTheSame() {
    return amd64().stream().filter(t -> t.variant().equals("stripped")).map(t -> DynamicTest.dynamicTest(
        t.toString(), () -> {
          TestBinary twin = TestBinaries.get(t.series(), "amd64", "default", t.program());
          try (GoBinary s = GoBinary.open(t.path()); GoBinary d = GoBinary.open(twin.path())) {
            LaunchPlan ps = new LaunchPlanner(Arch.AMD64).plan(s);
            LaunchPlan pd = new LaunchPlanner(Arch.AMD64).plan(d);
            assertEquals(pd.sites(), ps.sites());
            assertTrue(same(pd.layout(), ps.layout()));
            assertEquals(pd.goidOffset(), ps.goidOffset());
          }
        }));
  }

  @Test
  void everyMinorOfTheMatrixIsInTheTable() {
    for (int minor = NewprocLayout.OLDEST_MINOR; minor <= NewprocLayout.NEWEST_MINOR; minor++) {
      NewprocLayout l = NewprocLayout.forVersion(GoVersion.of(1, minor, 0)).orElseThrow();
      assertEquals(minor >= 17, l.fn() instanceof Slot.Reg, "go1." + minor);
      assertEquals("table go1." + minor, l.source());
    }
    assertTrue(NewprocLayout.forVersion(GoVersion.of(1, 14, 0)).isEmpty());
    assertTrue(NewprocLayout.forVersion(GoVersion.of(1, 25, 0)).isEmpty());
  }

  @Test
  void theOneSeventeenRowUsesTheFiveArgumentSignatureInRegisters() {
    NewprocLayout l = NewprocLayout.forVersion(GoVersion.of(1, 17, 13)).orElseThrow();
    assertEquals(Slot.amd64("rax"), l.fn());
    assertEquals(Slot.amd64("rdi"), l.callerGp());
    assertEquals(Slot.amd64("rsi"), l.callerPc());
    assertEquals(Slot.amd64("rax"), l.result());
  }

  @Test
  void otherArchitecturesAreRefused() throws Exception {
    TestBinary arm = TestBinaries.get("go1.24", "arm64", "default", "server");
    try (GoBinary b = GoBinary.open(arm.path())) {
      LaunchPlanException e = assertThrows(LaunchPlanException.class, () -> new LaunchPlanner(Arch.AMD64).plan(b));
      assertEquals(LaunchPlanException.Kind.UNSUPPORTED, e.kind());
      assertTrue(e.getMessage().contains("arm64"), e.getMessage());
    }
  }

  private static boolean same(NewprocLayout a, NewprocLayout b) {
    return a.fn().equals(b.fn()) && a.callerGp().equals(b.callerGp()) && a.callerPc().equals(b.callerPc())
        && a.result().equals(b.result());
  }
}
