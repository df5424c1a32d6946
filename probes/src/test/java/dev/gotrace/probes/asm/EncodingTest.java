package dev.gotrace.probes.asm;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu32;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.jmp32;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov32;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact bytes per instruction. Expected encodings follow RFC 9669 (opcode byte, dst in the low
 * nibble and src in the high nibble of byte 1, s16 off, s32 imm, little-endian) and the opcode
 * table of kernel.md §3, written out by hand.
 */
class EncodingTest {
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(mov64(Reg.R1, 5), "b701000005000000"),
        Arguments.of(mov64(Reg.R6, Reg.R1), "bf16000000000000"),
        Arguments.of(mov32(Reg.R3, -1), "b4030000ffffffff"),
        Arguments.of(add64(Reg.R2, -8), "07020000f8ffffff"),
        Arguments.of(alu64(AluOp.AND, Reg.R1, Reg.R2), "5f21000000000000"),
        Arguments.of(alu64(AluOp.RSH, Reg.R1, 32), "7701000020000000"),
        Arguments.of(alu64(AluOp.LSH, Reg.R9, 3), "6709000003000000"),
        Arguments.of(alu32(AluOp.ADD, Reg.R4, Reg.R5), "0c54000000000000"),
        Arguments.of(alu64(AluOp.XOR, Reg.R0, Reg.R0), "af00000000000000"),
        Arguments.of(ldx(Size.DW, Reg.R0, Reg.R6, 128), "7960800000000000"),
        Arguments.of(ldx(Size.W, Reg.R1, Reg.R10, -4), "61a1fcff00000000"),
        Arguments.of(ldx(Size.H, Reg.R2, Reg.R3, 2), "6932020000000000"),
        Arguments.of(ldx(Size.B, Reg.R2, Reg.R3, 1), "7132010000000000"),
        Arguments.of(stx(Size.DW, Reg.R10, -8, Reg.R1), "7b1af8ff00000000"),
        Arguments.of(stx(Size.W, Reg.R8, 4, Reg.R7), "6378040000000000"),
        Arguments.of(st(Size.W, Reg.R10, -4, 0), "620afcff00000000"),
        Arguments.of(st(Size.DW, Reg.R10, -16, 1), "7a0af0ff01000000"),
        Arguments.of(atomicAdd(Size.DW, Reg.R0, 0, Reg.R1), "db10000000000000"),
        Arguments.of(atomicAdd(Size.W, Reg.R0, 8, Reg.R1), "c310080000000000"),
        // as LLVM encodes r0 = cmpxchg_64(r5 + 16, r0, r9): BPF_STX|BPF_ATOMIC|BPF_DW, imm BPF_CMPXCHG
        Arguments.of(Insn.atomicCmpxchg(Size.DW, Reg.R5, 16, Reg.R9), "db951000f1000000"),
        Arguments.of(call(Helper.RINGBUF_RESERVE), "8500000083000000"),
        Arguments.of(call(Helper.GET_ATTACH_COOKIE), "85000000ae000000"),
        Arguments.of(call(Helper.PROBE_READ_USER), "8500000070000000"),
        Arguments.of(exit(), "9500000000000000"),
        Arguments.of(ldImm64(Reg.R1, 0x1122334455667788L), "1801000088776655" + "0000000044332211"),
        Arguments.of(ldImm64(Reg.R3, -1L), "18030000ffffffff" + "00000000ffffffff"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void encodesExactBytes(Insn insn, String hex) {
    byte[] code = Program.of(insn).encode(Map.of()).code();
    assertEquals(hex, HexFormat.of().formatHex(code));
  }

  @Test
  void mapReferenceBecomesPseudoMapFd() {
    byte[] code = Program.of(ldMap(Reg.R1, "events")).encode(Map.of("events", 7)).code();
    assertEquals("1811000007000000" + "0000000000000000", HexFormat.of().formatHex(code));
  }

  @Test
  void jumpsResolveLabelsCountingLdImm64AsTwoSlots() {
    Program p = Program.builder()
        .add(jmp(JmpOp.JEQ, Reg.R0, 0, "out"),      // 0 -> 4: off 3
            ldImm64(Reg.R1, 1),                      // 1-2
            jmp(JmpOp.JNE, Reg.R1, Reg.R2, "out"))   // 3 -> 4: off 0
        .label("out")
        .add(jmp32(JmpOp.JLT, Reg.R3, 9, "top"),     // 4 -> 0: off -5
            ja("out"))                               // 5 -> 4: off -2
        .build();
    String hex = HexFormat.of().formatHex(
        Program.builder().label("top").addAll(p.items()).build().encode(Map.of()).code());
    assertEquals("1500030000000000"
        + "1801000001000000" + "0000000000000000"
        + "5d21000000000000"
        + "a603fbff09000000"
        + "0500feff00000000", hex);
  }

  @Test
  void missingLabelIsAnError() {
    AsmException e = assertThrows(AsmException.class,
        () -> Program.of(ja("nowhere"), exit()).encode(Map.of()));
    assertTrue(e.getMessage().contains("missing label 'nowhere'"), e.getMessage());
  }

  @Test
  void duplicateLabelIsAnError() {
    Program p = Program.builder().label("a").add(exit()).label("a").add(exit()).build();
    AsmException e = assertThrows(AsmException.class, () -> p.encode(Map.of()));
    assertTrue(e.getMessage().contains("duplicate label 'a'"), e.getMessage());
  }

  @Test
  void unknownMapIsAnError() {
    AsmException e = assertThrows(AsmException.class,
        () -> Program.of(ldMap(Reg.R1, "nope"), exit()).encode(Map.of()));
    assertTrue(e.getMessage().contains("unknown map 'nope'"), e.getMessage());
  }

  @Test
  void operandsOutOfRangeAreRejected() {
    assertThrows(AsmException.class, () -> Insn.raw(0x07, 1, 0, 40000, 0));
    assertThrows(AsmException.class, () -> atomicAdd(Size.B, Reg.R0, 0, Reg.R1));
    assertThrows(AsmException.class, () -> new Label(""));
  }

  @Test
  void labelAtTheEndIsAnError() {
    Program p = Program.builder().add(exit()).label("end").build();
    assertThrows(AsmException.class, () -> p.encode(Map.of()));
  }
}
