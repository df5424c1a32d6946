package dev.gotrace.probes.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeMultiLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.support.ElfSymbols;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.support.Workload;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kernel's list of programs and links shows what we load and attach, and forgets it on close. */
@ExtendWith(FdLeakCheck.class)
class BpfObjectsTest {
  private static final String NAME = "objects_test";

  @Test
  void aLoadedProgramAndItsLinkAreListedUntilClosed() throws InterruptedException {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    long hot = ElfSymbols.fileOffset(bin, "main.hot");
    try (LoadedProgram p = LoadedProgram.load(NAME, Program.of(Insn.mov64(Reg.R0, 0), Insn.exit()),
        AttachType.UPROBE_MULTI, Map.of())) {
      List<BpfObjects.Program> mine = named(NAME);
      assertEquals(1, mine.size(), "programs: " + BpfObjects.programs());
      int id = mine.get(0).id();
      assertEquals(BpfObjects.Program.class, BpfObjects.program(id).orElseThrow().getClass());
      try (UprobeLink l = UprobeMultiLink.attach(p, bin, List.of(new UprobeSite(hot, 1)), 0)) {
        assertTrue(BpfObjects.links().stream().anyMatch(k -> k.programId() == id), "links: " + BpfObjects.links());
      }
      assertTrue(gone(() -> BpfObjects.links().stream().noneMatch(k -> k.programId() == id)),
          "the link is gone after close: " + BpfObjects.links());
    }
    assertTrue(gone(() -> named(NAME).isEmpty()), "the program is gone after close: " + named(NAME));
  }

  private static List<BpfObjects.Program> named(String name) {
    return BpfObjects.programs().stream().filter(p -> p.name().equals(name)).toList();
  }

  /** The kernel frees a link's program after an RCU grace period: wait up to 10 s. */
  private static boolean gone(java.util.function.BooleanSupplier check) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (check.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return check.getAsBoolean();
  }
}
