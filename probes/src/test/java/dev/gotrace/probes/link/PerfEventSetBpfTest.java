package dev.gotrace.probes.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.Codec;
import dev.gotrace.probes.maps.MapSpec;
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

/** The pre-5.15 perf-event path (PERF_EVENT_IOC_SET_BPF, no link, no cookie) also counts exactly. */
@ExtendWith(FdLeakCheck.class)
class PerfEventSetBpfTest {
  @Test
  void setBpfWithoutLinksCounts() {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    Program count = Program.builder()
        .add(Insn.st(Size.W, Reg.R10, -4, 0),
            Insn.ldMap(Reg.R1, "n"),
            Insn.mov64(Reg.R2, Reg.R10),
            Insn.add64(Reg.R2, -4),
            Insn.call(Helper.MAP_LOOKUP_ELEM),
            Insn.jmp(JmpOp.JEQ, Reg.R0, 0, "out"),
            Insn.mov64(Reg.R1, 1),
            Insn.atomicAdd(Size.DW, Reg.R0, 0, Reg.R1))
        .label("out")
        .add(Insn.mov64(Reg.R0, 0), Insn.exit())
        .build();
    int n = 3_000;
    try (BpfMap m = BpfMap.create(MapSpec.array("n", 8, 1));
        LoadedProgram p = LoadedProgram.load("count", count, AttachType.PERF_EVENT, Map.of("n", m));
        PerfEventUprobes link = PerfEventUprobes.attach(p, bin,
            List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 5)), 0, false)) {
      assertFalse(link.cookies());
      assertEquals(0, Workload.run("-mode", "loop", "-n", Integer.toString(n)).exitCode());
      assertEquals(n, m.typed(Codec.U32, Codec.U64).lookup(0).orElseThrow());
    }
  }
}
