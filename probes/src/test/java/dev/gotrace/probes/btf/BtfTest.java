package dev.gotrace.probes.btf;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.UnsupportedFeature;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.support.ElfSymbols;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.support.Workload;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FdLeakCheck.class)
class BtfTest {

  @Test
  void vmlinuxParsesAndLocatesTaskStructThreadFsbase() {
    Btf btf = Btf.vmlinux();
    assertTrue(btf.typeCount() > 10_000, "types " + btf.typeCount());
    int task = btf.findStruct("task_struct");
    long off = btf.taskStructFsbaseOffset();
    assertEquals(0, off % 8);
    assertTrue(off > 0 && off + 8 <= btf.sizeOf(task), "offset " + off);
    int thread = btf.findStruct("thread_struct");
    Btf.Member fsbase = btf.member(thread, "fsbase");
    assertEquals(8, btf.sizeOf(fsbase.type()));
    assertEquals(off, btf.member(task, "thread").byteOffset() + fsbase.byteOffset());
    // kernel.md §8 measured 3128 on this build (6.18.44); other configs differ, hence no constant.
    System.out.println("task_struct.thread.fsbase @" + off);
  }

  @Test
  void damagedBlobsFailWithAMessage() throws Exception {
    byte[] good = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
    byte[] badMagic = good.clone();
    badMagic[0] = 0;
    assertTrue(assertThrows(BtfException.class, () -> Btf.parse(badMagic)).getMessage().contains("magic"));
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    assertTrue(assertThrows(BtfException.class, () -> Btf.parse(truncated)).getMessage().contains("exceed"));
    assertThrows(BtfException.class, () -> Btf.parse(new byte[5]));
    assertThrows(BtfException.class, () -> Btf.vmlinux().offsetOf("task_struct", "no_such_member"));
  }

  /** A kernel without BTF is a missing feature naming the kernel that has it, not an I/O error. */
  @Test
  void noKernelBtfIsAnUnsupportedFeature() {
    UnsupportedFeature e = assertThrows(UnsupportedFeature.class, () -> Btf.read(Path.of("/nonexistent/vmlinux")));
    assertEquals(Feature.VMLINUX_BTF, e.feature());
    assertTrue(e.getMessage().startsWith("kernel BTF not available (requires Linux >= 5.4 built with"
        + " CONFIG_DEBUG_INFO_BTF) (cannot read /nonexistent/vmlinux"), e.getMessage());
    try (Features.Assumption a = Features.assume(FeatureStatus.absent(Feature.VMLINUX_BTF))) {
      e = assertThrows(UnsupportedFeature.class, Btf::vmlinux);
      assertEquals("kernel BTF not available (requires Linux >= 5.4 built with CONFIG_DEBUG_INFO_BTF)",
          e.getMessage());
    }
  }

  /**
   * End to end: in main.hot of the go1.24 workload (register ABI, internal linking) R14 holds g,
   * and the runtime also keeps g at FS:-8. A program reads {@code task->thread.fsbase} at the
   * BTF offset, then the word at fsbase−8; it must equal R14.
   */
  @Test
  void fsbaseOffsetFindsGoroutineThroughTls() {
    TestBinaries.requireRoot();
    long off = Btf.vmlinux().taskStructFsbaseOffset();
    Path bin = Workload.binary();
    Program p = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_CURRENT_TASK),
            mov64(Reg.R3, Reg.R0),
            add64(Reg.R3, (int) off),
            mov64(Reg.R1, Reg.R10),
            add64(Reg.R1, -8),
            mov64(Reg.R2, 8),
            call(Helper.PROBE_READ_KERNEL),
            ldx(Size.DW, Reg.R3, Reg.R10, -8),
            add64(Reg.R3, -8),
            mov64(Reg.R1, Reg.R10),
            add64(Reg.R1, -16),
            mov64(Reg.R2, 8),
            call(Helper.PROBE_READ_USER),
            st(Size.W, Reg.R10, -20, 0),
            ldMap(Reg.R1, "out"),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, -20),
            call(Helper.MAP_LOOKUP_ELEM),
            jmp(JmpOp.JEQ, Reg.R0, 0, "done"),
            ldx(Size.DW, Reg.R1, Reg.R10, -8),
            stx(Size.DW, Reg.R0, 0, Reg.R1),
            ldx(Size.DW, Reg.R1, Reg.R10, -16),
            stx(Size.DW, Reg.R0, 8, Reg.R1),
            ldx(Size.DW, Reg.R1, Reg.R6, 8), // pt_regs.r14 @8
            stx(Size.DW, Reg.R0, 16, Reg.R1))
        .label("done")
        .add(mov64(Reg.R0, 0), exit())
        .build();
    try (BpfMap out = BpfMap.create(MapSpec.array("out", 24, 1));
        LoadedProgram prog = LoadedProgram.load("fsbase", p, AttachType.UPROBE_MULTI, Map.of("out", out))) {
      Workload.Running w = Workload.start(true, "-mode", "loop", "-n", "10");
      try (UprobeLink link = Uprobes.attach(prog, bin,
          List.of(new UprobeSite(ElfSymbols.fileOffset(bin, "main.hot"), 0)), w.pid())) {
        assertTrue(link.cookies());
        w.go();
        assertEquals(0, w.finish().exitCode());
      } finally {
        w.finish();
      }
      ByteBuffer v = ByteBuffer.wrap(out.lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
      long fsbase = v.getLong(0);
      long tlsG = v.getLong(8);
      long r14 = v.getLong(16);
      assertNotEquals(0, fsbase, "fsbase read");
      assertNotEquals(0, r14, "R14 read");
      assertEquals(r14, tlsG, String.format("g via FS:-8 (fsbase 0x%x) vs R14", fsbase));
    }
  }
}
