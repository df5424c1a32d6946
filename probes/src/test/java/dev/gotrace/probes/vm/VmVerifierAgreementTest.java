package dev.gotrace.probes.vm;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.prog.VerifierException;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.support.TestPrograms;
import dev.gotrace.testdata.TestBinaries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The interpreter refuses what the kernel's verifier refuses, and runs what it loads: each program
 * here goes to both (as root; a uprobe program, loaded as perf-event kprobe type). The one place
 * the interpreter is stricter is a read of stack bytes never written, which the verifier lets
 * root programs do and which would read whatever the stack held.
 */
@ExtendWith(FdLeakCheck.class)
class VmVerifierAgreementTest {
  private static final List<MapSpec> MAPS = List.of(MapSpec.hash("h", 8, 8, 4), MapSpec.array("a", 8, 4),
      MapSpec.ringBuf("events", 4096), MapSpec.perCpuArray("drops", 8, 1), MapSpec.hash("counts", 8, 8, 16));

  @BeforeEach
  void root() {
    TestBinaries.requireRoot();
  }

  private static Map<String, Program> refusedByBoth() {
    Map<String, Program> p = new LinkedHashMap<>();
    p.put("unreachable instruction", Program.of(mov64(Reg.R0, 0), exit(), mov64(Reg.R0, 1), exit()));
    p.put("exit without R0", Program.of(exit()));
    p.put("uninitialised register", Program.of(mov64(Reg.R0, Reg.R3), exit()));
    p.put("stack below 512 bytes", Program.of(ldx(Size.DW, Reg.R0, Reg.R10, -520), exit()));
    p.put("write to the context", Program.of(st(Size.DW, Reg.R1, 0, 1), mov64(Reg.R0, 0), exit()));
    p.put("write to R10", Program.of(mov64(Reg.R10, 1), mov64(Reg.R0, 0), exit()));
    p.put("constant shift of 64", Program.of(mov64(Reg.R0, 1), alu64(AluOp.LSH, Reg.R0, 64), exit()));
    p.put("division by the constant 0", Program.of(mov64(Reg.R0, 1), alu64(AluOp.DIV, Reg.R0, 0), exit()));
    p.put("jump into an ld_imm64", Program.of(Insn.raw(Insn.JMP, 0, 0, 1, 0), Insn.ldImm64(Reg.R0, 1), exit()));
    p.put("map lookup result used unchecked", Program.of(st(Size.DW, Reg.R10, -8, 0), ldMap(Reg.R1, "h"),
        mov64(Reg.R2, Reg.R10), add64(Reg.R2, -8), call(Helper.MAP_LOOKUP_ELEM), ldx(Size.DW, Reg.R0, Reg.R0, 0),
        exit()));
    p.put("write past a map value", Program.of(st(Size.W, Reg.R10, -4, 0), ldMap(Reg.R1, "a"),
        mov64(Reg.R2, Reg.R10), add64(Reg.R2, -4), call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JEQ, Reg.R0, 0, "out"),
        st(Size.DW, Reg.R0, 4, 1), new Label("out"), mov64(Reg.R0, 0), exit()));
    p.put("ring-buffer record never submitted", Program.of(ldMap(Reg.R1, "events"), mov64(Reg.R2, 8),
        mov64(Reg.R3, 0), call(Helper.RINGBUF_RESERVE), jmp(JmpOp.JEQ, Reg.R0, 0, "out"), st(Size.DW, Reg.R0, 0, 1),
        new Label("out"), mov64(Reg.R0, 0), exit()));
    p.put("helper argument not the context", Program.of(mov64(Reg.R1, Reg.R10), call(Helper.GET_ATTACH_COOKIE),
        exit()));
    return p;
  }

  private static void load(String name, Program p, Map<String, BpfMap> maps) {
    Map<String, BpfMap> used = new LinkedHashMap<>();
    for (String m : p.mapNames()) {
      used.put(m, maps.get(m));
    }
    try (LoadedProgram lp = LoadedProgram.load("vmagree", p, AttachType.PERF_EVENT, used)) {
      assertTrue(lp != null, name);
    }
  }

  private static Map<String, BpfMap> create(List<BpfMap> opened) {
    Map<String, BpfMap> maps = new LinkedHashMap<>();
    for (MapSpec s : MAPS) {
      BpfMap m = BpfMap.create(s);
      opened.add(m);
      maps.put(s.name(), m);
    }
    return maps;
  }

  @Test
  void whatTheVerifierRefusesTheInterpreterRefuses() {
    List<BpfMap> opened = new java.util.ArrayList<>();
    try {
      Map<String, BpfMap> maps = create(opened);
      for (Map.Entry<String, Program> e : refusedByBoth().entrySet()) {
        assertThrows(VerifierException.class, () -> load(e.getKey(), e.getValue(), maps), "kernel: " + e.getKey());
        assertThrows(VmException.class, () -> new Vm(MAPS).run(e.getValue(), Call.of(new byte[168])),
            "interpreter: " + e.getKey());
      }
    } finally {
      opened.forEach(BpfMap::close);
    }
  }

  @Test
  void whatTheVerifierLoadsTheInterpreterRuns() {
    List<BpfMap> opened = new java.util.ArrayList<>();
    try {
      Map<String, BpfMap> maps = create(opened);
      Program countAndRecord = TestPrograms.countAndRecord(4096);
      assertDoesNotThrow(() -> load("countAndRecord", countAndRecord, maps));
      assertDoesNotThrow(() -> new Vm(MAPS).run(countAndRecord, Call.of(new byte[168]).withCookie(3)));
      Program uninitStack = Program.of(ldx(Size.DW, Reg.R0, Reg.R10, -8), exit());
      assertDoesNotThrow(() -> load("uninitialised stack", uninitStack, maps),
          "root programs may read stack bytes never written");
      VmException e = assertThrows(VmException.class, () -> new Vm(MAPS).run(uninitStack, Call.of(new byte[168])));
      assertTrue(e.getMessage().contains("never written"), e.getMessage());
    } finally {
      opened.forEach(BpfMap::close);
    }
  }
}
