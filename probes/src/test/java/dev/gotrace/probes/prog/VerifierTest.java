package dev.gotrace.probes.prog;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.testdata.TestBinaries;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The verifier's own words reach the exception (messages as seen on Linux 6.18, kernel.md §6). */
@ExtendWith(FdLeakCheck.class)
class VerifierTest {
  @BeforeEach
  void root() {
    TestBinaries.requireRoot();
  }

  @Test
  void uncheckedLookupResultIsRejectedWithTheVerifierReason() {
    try (BpfMap m = BpfMap.create(MapSpec.hash("h", 8, 8, 4))) {
      Program bad = Program.of(
          st(Size.DW, Reg.R10, -8, 0),
          ldMap(Reg.R1, "h"),
          mov64(Reg.R2, Reg.R10),
          add64(Reg.R2, -8),
          call(Helper.MAP_LOOKUP_ELEM),
          ldx(Size.DW, Reg.R0, Reg.R0, 0),
          exit());
      VerifierException e = assertThrows(VerifierException.class,
          () -> LoadedProgram.load("bad", bad, AttachType.PERF_EVENT, Map.of("h", m)));
      assertEquals("EACCES", e.errnoName());
      assertTrue(e.getMessage().contains("invalid mem access 'map_value_or_null'"), e.getMessage());
      assertTrue(e.getMessage().startsWith("bpf(BPF_PROG_LOAD) failed: EACCES"), e.getMessage());
      assertTrue(e.log().contains("processed"), e.log());
    }
  }

  @Test
  void exitWithoutR0IsRejected() {
    VerifierException e = assertThrows(VerifierException.class,
        () -> LoadedProgram.load("nor0", Program.of(exit()), AttachType.PERF_EVENT, Map.of()));
    assertTrue(e.getMessage().contains("R0 !read_ok"), e.getMessage());
  }

  @Test
  void tooSmallLogBufferIsGrownToTheTrueSize() {
    // A 32-byte first buffer cannot hold the log: the kernel answers ENOSPC with log_true_size,
    // and the loader retries with a buffer that size.
    Program.Builder b = Program.builder();
    for (int i = 0; i < 50; i++) {
      b.add(Insn.mov64(Reg.R1, i));
    }
    b.add(Insn.exit());
    VerifierException e = assertThrows(VerifierException.class,
        () -> LoadedProgram.load("long", b.build(), AttachType.PERF_EVENT, Map.of(), 32));
    assertEquals("EACCES", e.errnoName(), e.getMessage());
    assertTrue(e.getMessage().contains("R0 !read_ok"), e.getMessage());
    assertTrue(e.log().length() > 32, e.log());
  }

  @Test
  void validProgramLoads() {
    try (LoadedProgram p = LoadedProgram.load("ok", Program.of(mov64(Reg.R0, 0), exit()),
        AttachType.UPROBE_MULTI, Map.of())) {
      assertEquals(2, p.slots());
      assertTrue(p.fd().get() > 0);
    }
  }
}
