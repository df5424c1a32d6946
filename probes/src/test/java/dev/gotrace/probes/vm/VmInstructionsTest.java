package dev.gotrace.probes.vm;

import static dev.gotrace.probes.asm.Insn.alu32;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.jmp32;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.mov64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ALU and jump classes, each operation against the instruction set's definition (RFC 9669
 * section 4) written out here, on edge values and on random ones.
 */
class VmInstructionsTest {
  private static final long[] EDGES = {0, 1, 2, -1, -2, 7, 63, 64, 65, 0x7fffffffL, 0x80000000L, 0xffffffffL,
      0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE, 0x123456789abcdef0L, -0x80000000L};

  static long run(Item... items) {
    List<Item> all = new ArrayList<>(List.of(items));
    all.add(exit());
    return new Vm(List.of()).run(new Program(all), Call.of(new byte[0])).r0();
  }

  private static long op64(AluOp op, long a, long b) {
    return run(ldImm64(Reg.R0, a), ldImm64(Reg.R1, b), alu64(op, Reg.R0, Reg.R1));
  }

  private static long op32(AluOp op, long a, long b) {
    return run(ldImm64(Reg.R0, a), ldImm64(Reg.R1, b), alu32(op, Reg.R0, Reg.R1));
  }

  private static List<long[]> pairs() {
    List<long[]> out = new ArrayList<>();
    for (long a : EDGES) {
      for (long b : EDGES) {
        out.add(new long[] {a, b});
      }
    }
    Random rnd = new Random(18);
    for (int i = 0; i < 200; i++) {
      out.add(new long[] {rnd.nextLong(), rnd.nextInt(3) == 0 ? rnd.nextInt(70) : rnd.nextLong()});
    }
    return out;
  }

  @Test
  void alu64Operations() {
    for (long[] p : pairs()) {
      long a = p[0], b = p[1];
      String at = a + " op " + b;
      assertEquals(a + b, op64(AluOp.ADD, a, b), at);
      assertEquals(a - b, op64(AluOp.SUB, a, b), at);
      assertEquals(a * b, op64(AluOp.MUL, a, b), at);
      assertEquals(b == 0 ? 0 : Long.divideUnsigned(a, b), op64(AluOp.DIV, a, b), at);
      assertEquals(b == 0 ? a : Long.remainderUnsigned(a, b), op64(AluOp.MOD, a, b), at);
      assertEquals(a | b, op64(AluOp.OR, a, b), at);
      assertEquals(a & b, op64(AluOp.AND, a, b), at);
      assertEquals(a ^ b, op64(AluOp.XOR, a, b), at);
      assertEquals(a << (b & 63), op64(AluOp.LSH, a, b), at);
      assertEquals(a >>> (b & 63), op64(AluOp.RSH, a, b), at);
      assertEquals(a >> (b & 63), op64(AluOp.ARSH, a, b), at);
      assertEquals(b, op64(AluOp.MOV, a, b), at);
    }
  }

  @Test
  void alu32OperationsZeroExtend() {
    for (long[] p : pairs()) {
      int a = (int) p[0], b = (int) p[1];
      String at = a + " op " + b;
      assertEquals((a + b) & 0xffffffffL, op32(AluOp.ADD, p[0], p[1]), at);
      assertEquals((a - b) & 0xffffffffL, op32(AluOp.SUB, p[0], p[1]), at);
      assertEquals((a * b) & 0xffffffffL, op32(AluOp.MUL, p[0], p[1]), at);
      assertEquals(b == 0 ? 0 : Integer.toUnsignedLong(Integer.divideUnsigned(a, b)), op32(AluOp.DIV, p[0], p[1]), at);
      assertEquals(Integer.toUnsignedLong(b == 0 ? a : Integer.remainderUnsigned(a, b)), op32(AluOp.MOD, p[0], p[1]), at);
      assertEquals(Integer.toUnsignedLong(a << (b & 31)), op32(AluOp.LSH, p[0], p[1]), at);
      assertEquals(Integer.toUnsignedLong(a >>> (b & 31)), op32(AluOp.RSH, p[0], p[1]), at);
      assertEquals(Integer.toUnsignedLong(a >> (b & 31)), op32(AluOp.ARSH, p[0], p[1]), at);
      assertEquals(Integer.toUnsignedLong(b), op32(AluOp.MOV, p[0], p[1]), at);
    }
  }

  @Test
  void immediatesAreSignExtendedIn64BitsAndNotIn32() {
    assertEquals(-1L, run(mov64(Reg.R0, -1)));
    assertEquals(0xffffffffL, run(Insn.mov32(Reg.R0, -1)));
    assertEquals(0x1_0000_0000L - 5, run(ldImm64(Reg.R0, 0x1_0000_0000L), alu64(AluOp.ADD, Reg.R0, -5)));
    assertEquals(0xfffffffbL, run(ldImm64(Reg.R0, 0x1_0000_0000L), alu32(AluOp.ADD, Reg.R0, -5)));
    assertEquals(-42L, run(mov64(Reg.R0, 42), alu64(AluOp.NEG, Reg.R0, 0)));
    assertEquals(0xffffffd6L, run(mov64(Reg.R0, 42), alu32(AluOp.NEG, Reg.R0, 0)));
    assertEquals(0xdeadbeefcafef00dL, run(ldImm64(Reg.R0, 0xdeadbeefcafef00dL)));
  }

  @Test
  void byteOrder() {
    long v = 0x1122334455667788L;
    // BPF_TO_BE (class ALU, X bit), BPF_TO_LE (K; truncates on a little-endian machine), and bswap (ALU64)
    assertEquals(0x8877L, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU | 0xd0 | Insn.X, 0, 0, 0, 16)));
    assertEquals(0x88776655L, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU | 0xd0 | Insn.X, 0, 0, 0, 32)));
    assertEquals(0x8877665544332211L, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU | 0xd0 | Insn.X, 0, 0, 0, 64)));
    assertEquals(0x7788L, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU | 0xd0, 0, 0, 0, 16)));
    assertEquals(0x55667788L, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU | 0xd0, 0, 0, 0, 32)));
    assertEquals(v, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU | 0xd0, 0, 0, 0, 64)));
    assertEquals(0x8877665544332211L, run(ldImm64(Reg.R0, v), Insn.raw(Insn.ALU64 | 0xd0, 0, 0, 0, 64)));
  }

  @Test
  void signedDivisionAndSignExtendingMoves() {
    // off 1: sdiv/smod; off 8/16/32 on a register move: movsx (instruction set version 4)
    assertEquals(-3L, run(mov64(Reg.R0, -7), mov64(Reg.R1, 2), Insn.raw(Insn.ALU64 | 0x30 | Insn.X, 0, 1, 1, 0)));
    assertEquals(-1L, run(mov64(Reg.R0, -7), mov64(Reg.R1, 2), Insn.raw(Insn.ALU64 | 0x90 | Insn.X, 0, 1, 1, 0)));
    assertEquals(Long.divideUnsigned(-7, 2), run(mov64(Reg.R0, -7), mov64(Reg.R1, 2),
        alu64(AluOp.DIV, Reg.R0, Reg.R1)));
    assertEquals(-128L, run(mov64(Reg.R1, 0x180), Insn.raw(Insn.ALU64 | 0xb0 | Insn.X, 0, 1, 8, 0)));
    assertEquals(-32768L, run(mov64(Reg.R1, 0x18000), Insn.raw(Insn.ALU64 | 0xb0 | Insn.X, 0, 1, 16, 0)));
    assertEquals(-1L, run(ldImm64(Reg.R1, 0x1ffffffffL), Insn.raw(Insn.ALU64 | 0xb0 | Insn.X, 0, 1, 32, 0)));
    assertEquals(0xffffff80L, run(mov64(Reg.R1, 0x180), Insn.raw(Insn.ALU | 0xb0 | Insn.X, 0, 1, 8, 0)));
  }

  private static boolean taken(boolean narrow, JmpOp op, long a, long b) {
    return run(ldImm64(Reg.R1, a), ldImm64(Reg.R2, b), mov64(Reg.R0, 1),
        narrow ? Insn.raw(Insn.JMP32 | code(op) | Insn.X, 1, 2, 1, 0) : jmp(op, Reg.R1, Reg.R2, "yes"),
        mov64(Reg.R0, 0), new Label("yes")) == 1;
  }

  private static int code(JmpOp op) {
    return switch (op) {
      case JA -> 0x00; case JEQ -> 0x10; case JGT -> 0x20; case JGE -> 0x30; case JSET -> 0x40;
      case JNE -> 0x50; case JSGT -> 0x60; case JSGE -> 0x70; case JLT -> 0xa0; case JLE -> 0xb0;
      case JSLT -> 0xc0; case JSLE -> 0xd0;
    };
  }

  private static boolean expected(JmpOp op, long a, long b) {
    return switch (op) {
      case JA -> true;
      case JEQ -> a == b;
      case JNE -> a != b;
      case JSET -> (a & b) != 0;
      case JGT -> Long.compareUnsigned(a, b) > 0;
      case JGE -> Long.compareUnsigned(a, b) >= 0;
      case JLT -> Long.compareUnsigned(a, b) < 0;
      case JLE -> Long.compareUnsigned(a, b) <= 0;
      case JSGT -> a > b;
      case JSGE -> a >= b;
      case JSLT -> a < b;
      case JSLE -> a <= b;
    };
  }

  @Test
  void conditionalJumps64And32() {
    for (JmpOp op : JmpOp.values()) {
      if (op == JmpOp.JA) {
        continue;
      }
      for (long[] p : pairs().subList(0, EDGES.length * EDGES.length)) {
        String at = op + " " + p[0] + ", " + p[1];
        assertEquals(expected(op, p[0], p[1]), taken(false, op, p[0], p[1]), at);
        // 32-bit forms compare the low words (sign-extended for the signed ones)
        assertEquals(expected(op, (int) p[0], (int) p[1]), taken(true, op, p[0], p[1]), "32-bit " + at);
      }
    }
  }

  @Test
  void immediateJumpsSignExtend() {
    assertEquals(1L, run(mov64(Reg.R0, 1), mov64(Reg.R1, -1), jmp(JmpOp.JEQ, Reg.R1, -1, "y"), mov64(Reg.R0, 0),
        new Label("y")));
    assertEquals(1L, run(mov64(Reg.R0, 1), ldImm64(Reg.R1, 0x7_ffffffffL), jmp32(JmpOp.JEQ, Reg.R1, -1, "y"),
        mov64(Reg.R0, 0), new Label("y")));
    assertEquals(0L, run(mov64(Reg.R0, 1), ldImm64(Reg.R1, 0x7_ffffffffL), jmp(JmpOp.JEQ, Reg.R1, -1, "y"),
        mov64(Reg.R0, 0), new Label("y")));
  }

  @Test
  void boundedLoopRuns() {
    // sum 1..100 with a back edge
    assertEquals(5050L, run(mov64(Reg.R0, 0), mov64(Reg.R1, 100), new Label("loop"),
        alu64(AluOp.ADD, Reg.R0, Reg.R1), alu64(AluOp.SUB, Reg.R1, 1), jmp(JmpOp.JNE, Reg.R1, 0, "loop")));
  }
}
