package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Where probes find g, from the prologues of every amd64 server of the matrix. */
class GAccessFinderTest {
  static List<TestBinary> servers() {
    return TestBinaries.where(t -> t.arch().equals("amd64") && t.program().equals("server"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void gIsWhereTheProloguesSay(TestBinary t) throws Exception {
    try (GoBinary b = GoBinary.open(t.path())) {
      GLayout layout = b.gLayout().known().orElseThrow();
      GAccess g = GAccessFinder.find(b, layout, List.of());
      if (t.goMinor() >= 17) {
        assertEquals(new GAccess.InRegister(new Register("r14", 14, 14, 8)), g);
      } else {
        GAccess.ThreadLocal tls = assertInstanceOf(GAccess.ThreadLocal.class, g);
        // Go's internal linker puts g at FS-8; the external linker lets the C library choose.
        assertTrue(tls.offset() < 0, "offset " + tls.offset());
        if (!t.variant().equals("extlink")) {
          assertEquals(-8, tls.offset());
        }
      }
    }
  }

  static List<TestBinary> registerAbiServers() {
    return servers().stream().filter(t -> t.goMinor() >= 17).toList();
  }

  /** A layout whose stack bounds disagree with the prologues' stackguard0 is refused. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("registerAbiServers")
  void aLayoutTheProloguesContradictIsRefused(TestBinary t) throws Exception {
    try (GoBinary b = GoBinary.open(t.path())) {
      GLayout real = b.gLayout().known().orElseThrow();
      GLayout shifted = new GLayout(real.stackLo() + 8, real.stackHi() + 8, real.goid(), real.m(), real.sched());
      PlanException e = assertThrows(PlanException.class, () -> GAccessFinder.find(b, shifted, List.of()));
      assertTrue(e.getMessage().contains("stackguard0"), e.getMessage());
    }
  }
}
