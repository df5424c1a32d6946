package dev.gotrace.probes.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.probes.support.TestPrograms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Golden listings. To regenerate after an intended change, run with
 * {@code -Dgotrace.golden.update=true} and review the diff of {@code src/test/resources/golden}.
 */
class DisassemblerTest {
  private static void golden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("gotrace.golden.update")) {
      Path dir = Path.of(System.getProperty("gotrace.repo"), "probes/src/test/resources/golden");
      Files.writeString(dir.resolve(name), actual);
      return;
    }
    try (InputStream in = DisassemblerTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing golden file " + name);
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual);
    }
  }

  @Test
  void countAndRecordListing() throws IOException {
    golden("count_and_record.txt", Disassembler.listing(TestPrograms.countAndRecord(4096)));
  }

  @Test
  void rawBytesListWithoutNames() throws IOException {
    byte[] code = TestPrograms.countAndRecord(4096).encode(
        java.util.Map.of("counts", 3, "events", 4, "drops", 5)).code();
    golden("count_and_record_raw.txt", Disassembler.listing(code));
  }

  @Test
  void everyFormListing() throws IOException {
    Program p = Program.builder()
        .label("top")
        .add(Insn.mov32(Reg.R1, -1),
            Insn.alu64(AluOp.NEG, Reg.R2, 0),
            Insn.alu64(AluOp.ARSH, Reg.R3, 7),
            Insn.alu32(AluOp.MOD, Reg.R4, Reg.R5),
            Insn.raw(Insn.ALU | AluOp.END.code | Insn.X, 1, 0, 0, 32),
            Insn.ldImm64(Reg.R9, 0xdeadbeefcafeL),
            Insn.ldx(Size.B, Reg.R1, Reg.R6, 3),
            Insn.ldx(Size.H, Reg.R1, Reg.R6, -2),
            Insn.st(Size.DW, Reg.R10, -16, 42),
            Insn.stx(Size.W, Reg.R10, -20, Reg.R1),
            Insn.atomicAdd(Size.W, Reg.R0, 4, Reg.R1),
            Insn.atomicCmpxchg(Size.DW, Reg.R5, 16, Reg.R9),
            Insn.jmp(JmpOp.JSGT, Reg.R1, Reg.R2, "top"),
            Insn.jmp32(JmpOp.JSET, Reg.R1, 8, "end"),
            Insn.call(Helper.PROBE_READ_KERNEL),
            Insn.raw(0xff, 0, 0, 0, 0))
        .label("end")
        .add(Insn.exit())
        .build();
    golden("every_form.txt", Disassembler.listing(p));
  }
}
