package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Plans on every amd64 binary of the test matrix; the version table checked against DWARF. */
class LaunchPlannerTest {

  static List<TestBinary> amd64() {
    return TestBinaries.where(t -> t.arch().equals("amd64"));
  }

  /**
   * Every amd64 binary of the matrix: where it has DWARF, DWARF's placement of newproc1's inputs
   * at the probe entry (and the ABI's of its result) equals the table row of its Go version;
   * with or without DWARF, the code of runtime.newproc.func1 agrees with that row. Then the plan:
   * valid sites, the goid offset of its runtime.g, no notes. One opening of the binary for both.
   */
  @TestFactory
  Stream<DynamicTest> tableAgreesWithDwarfAndCodeAndPlansAreValid() {
    return amd64().stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> {
      try (GoBinary b = GoBinary.open(t.path())) {
        NewprocLayout.Row row = NewprocLayout.row(b.goVersion()).orElseThrow();
        assertEquals(Optional.empty(), NewprocCode.disagreement(b, row));
        List<Note> notes = new ArrayList<>();
        NewprocLayout l = LaunchPlanner.layout(b, probeEntry(b), notes);
        assertTrue(notes.isEmpty(), notes.toString());
        assertEquals(b.hasDwarf(), l.source().equals("DWARF"), l.source());
        if (!b.hasDwarf()) {
          assertEquals("table go1." + t.goMinor() + ", checked against runtime.newproc.func1", l.source());
        }
        assertTrue(same(row.layout(), l), "table " + row.layout() + " vs " + l);

        LaunchPlan p = new LaunchPlanner(Arch.AMD64).plan(b);
        assertEquals(l, p.layout());
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

  static long probeEntry(GoBinary b) throws Exception {
    return b.sites(b.function(LaunchPlanner.NEWPROC1).orElseThrow()).probeEntry().getAsLong();
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
      assertEquals(minor >= 17, l.fn() instanceof ArgLocation.InRegister, "go1." + minor);
      assertEquals("table go1." + minor, l.source());
      assertEquals(minor >= 23 || minor <= 17 ? 5 : 3, NewprocLayout.row(GoVersion.of(1, minor, 0))
          .orElseThrow().arguments().size(), "go1." + minor);
    }
    assertEquals(27, NewprocLayout.NEWEST_MINOR);
    assertTrue(NewprocLayout.forVersion(GoVersion.of(1, 14, 0)).isEmpty());
    assertTrue(NewprocLayout.forVersion(GoVersion.of(1, 28, 0)).isEmpty());
  }

  @Test
  void theOneSeventeenRowUsesTheFiveArgumentSignatureInRegisters() {
    NewprocLayout l = NewprocLayout.forVersion(GoVersion.of(1, 17, 13)).orElseThrow();
    assertEquals(ArgLocation.InRegister.of(Arch.AMD64, "rax"), l.fn());
    assertEquals(ArgLocation.InRegister.of(Arch.AMD64, "rdi"), l.callerGp());
    assertEquals(ArgLocation.InRegister.of(Arch.AMD64, "rsi"), l.callerPc());
    assertEquals(ArgLocation.InRegister.of(Arch.AMD64, "rax"), l.result());
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
