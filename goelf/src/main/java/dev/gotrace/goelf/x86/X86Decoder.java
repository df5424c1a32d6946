package dev.gotrace.goelf.x86;

import static dev.gotrace.goelf.x86.X86Instruction.MAP_0F;
import static dev.gotrace.goelf.x86.X86Instruction.MAP_0F38;
import static dev.gotrace.goelf.x86.X86Instruction.MAP_0F3A;
import static dev.gotrace.goelf.x86.X86Instruction.MAP_ONE_BYTE;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import java.util.Optional;

/**
 * Decodes the length and control-flow class of one x86 instruction at a time. Stateless and
 * thread-safe; each call reads only {@code code[offset .. limit)}.
 */
public final class X86Decoder {
  /** Architectural maximum instruction length (SDM Vol. 2, 2.3.11). */
  public static final int MAX_LENGTH = 15;

  private final X86Mode mode;

  public X86Decoder(X86Mode mode) {
    this.mode = mode;
  }

  public X86Mode mode() {
    return mode;
  }

  /**
   * Decodes the instruction at {@code code[offset]}, whose virtual address is {@code address};
   * bytes at or after {@code limit} are not part of the instruction stream.
   */
  public X86Instruction decode(byte[] code, int offset, int limit, long address)
      throws InvalidInstructionException {
    if (offset < 0 || offset >= limit || limit > code.length) {
      throw new InvalidInstructionException(address, "no bytes to decode");
    }
    return new Parse(code, offset, Math.min(limit, offset + MAX_LENGTH), address).run();
  }

  /** Decodes the instruction at the start of {@code code}. */
  public X86Instruction decode(byte[] code, long address) throws InvalidInstructionException {
    return decode(code, 0, code.length, address);
  }

  private final class Parse {
    private final byte[] code;
    private final int start;
    private final int limit;
    private final long address;
    private final boolean is64 = mode == X86Mode.BITS64;
    private int pos;
    private int prefixes;
    private int rex; // 0 when absent, else 0x40..0x4F
    private boolean vex;
    private boolean vexW;
    private int vexRxb; // R, X, B extension bits from VEX/EVEX as 0b RXB (already un-inverted)
    private int map = MAP_ONE_BYTE;
    private int opcode;
    private ModRm modrm;
    private int modrmByte;
    private long imm;
    private boolean hasImm;

    Parse(byte[] code, int start, int limit, long address) {
      this.code = code;
      this.start = start;
      this.limit = limit;
      this.pos = start;
      this.address = address;
    }

    X86Instruction run() throws InvalidInstructionException {
      readPrefixes();
      int op = next();
      char shape = OpcodeMaps.ONE_BYTE.charAt(op);
      opcode = op;
      return switch (shape) {
        case '2' -> twoByte();
        case 'C' -> vexOrLegacy(op);
        case 'D' -> evexOrBound();
        default -> oneByte(op, shape);
      };
    }

    private void readPrefixes() throws InvalidInstructionException {
      while (true) {
        int b = peek();
        int bit = switch (b) {
          case 0x66 -> X86Instruction.PREFIX_OPSIZE;
          case 0x67 -> X86Instruction.PREFIX_ADDRSIZE;
          case 0xf0 -> X86Instruction.PREFIX_LOCK;
          case 0xf2 -> X86Instruction.PREFIX_REPNE;
          case 0xf3 -> X86Instruction.PREFIX_REP;
          case 0x64 -> X86Instruction.PREFIX_FS;
          case 0x65 -> X86Instruction.PREFIX_GS;
          case 0x26, 0x2e, 0x36, 0x3e -> X86Instruction.PREFIX_OTHER_SEGMENT;
          default -> 0;
        };
        if (rex != 0 && (bit != 0 || (b & 0xf0) == 0x40)) {
          // The CPU ignores a REX prefix that is not immediately before the opcode (SDM 2.2.1);
          // no assembler emits one and disassemblers split it off, so refuse rather than pick.
          throw invalid("REX prefix followed by another prefix");
        }
        if (bit != 0) {
          prefixes |= bit;
          pos++;
        } else if (is64 && (b & 0xf0) == 0x40) {
          rex = b;
          pos++;
        } else {
          return;
        }
      }
    }

    // ---- one-byte map

    private X86Instruction oneByte(int op, char shape) throws InvalidInstructionException {
      Flow flow = Flow.NEXT;
      switch (shape) {
        case '.', 'R' -> { }
        case '6' -> legacyOnly();
        case 'M' -> readModRm();
        case 'b' -> readImm(1);
        case '7' -> {
          legacyOnly();
          readImm(1);
        }
        case 'z' -> readImm(immz());
        case 'w' -> readImm(2);
        case 'X' -> {
          readModRm();
          readImm(1);
        }
        case '8' -> {
          legacyOnly();
          readModRm();
          readImm(1);
        }
        case 'Y' -> {
          readModRm();
          readImm(immz());
        }
        case 'V' -> readImm(rexW() ? 8 : immz());
        case 'O' -> readImm(moffsSize());
        case 'E' -> {
          readImm(2);
          readImm(1);
        }
        case 'F' -> {
          legacyOnly();
          readImm(immz() + 2);
        }
        case 'T', 'U' -> {
          readModRm();
          if (modrm.ext() <= 1) {
            readImm(shape == 'T' ? 1 : immz());
          }
        }
        default -> throw invalid("undefined opcode");
      }
      switch (op) {
        case 0xc3, 0xc2, 0xcb, 0xca -> flow = Flow.RET;
        case 0xcc -> flow = Flow.TRAP;
        case 0xf4 -> flow = Flow.HALT;
        case 0xe8 -> flow = relative(Flow.CALL);
        case 0xe9, 0xeb -> flow = relative(Flow.JUMP);
        case 0xe0, 0xe1, 0xe2, 0xe3 -> flow = relative(Flow.CONDITIONAL);
        case 0x9a -> flow = Flow.CALL_INDIRECT;
        case 0xea -> flow = Flow.JUMP_INDIRECT;
        default -> flow = op >= 0x70 && op <= 0x7f
            ? relative(Flow.CONDITIONAL)
            : OneByteRules.check(op, modrm, modrmByte, address);
      }
      return finish(flow);
    }

    // ---- two- and three-byte maps

    private X86Instruction twoByte() throws InvalidInstructionException {
      int op = next();
      opcode = op;
      map = MAP_0F;
      char shape = OpcodeMaps.TWO_BYTE.charAt(op);
      Flow flow = Flow.NEXT;
      switch (shape) {
        case '.' -> { }
        case 'M' -> readModRm();
        case 'R' -> readModRmRegisterOnly();
        case 'X' -> {
          readModRm();
          readImm(1);
        }
        case 'z' -> readImm(immz());
        case '3' -> {
          return threeByte(MAP_0F38);
        }
        case '4' -> {
          return threeByte(MAP_0F3A);
        }
        default -> throw invalid("undefined opcode 0F " + hex(op));
      }
      Legacy0F.check(op, prefixes, modrm, modrmByte, address);
      if (op == 0x0b) {
        flow = Flow.UNDEFINED;
      } else if (op >= 0x80 && op <= 0x8f) {
        flow = relative(Flow.CONDITIONAL);
      } else if (op == 0xba && modrm.ext() < 4) {
        throw invalid("undefined group 8 extension /" + modrm.ext());
      } else if (op == 0xb8 && (prefixes & X86Instruction.PREFIX_REP) == 0) {
        throw invalid("0F B8 without F3 (JMPE) is not an x86 instruction");
      } else if (op == 0x78 && (prefixes & (X86Instruction.PREFIX_OPSIZE | X86Instruction.PREFIX_REPNE)) != 0) {
        throw invalid("EXTRQ/INSERTQ (SSE4a) immediate forms are not decoded");
      }
      return finish(flow);
    }

    private X86Instruction threeByte(int which) throws InvalidInstructionException {
      int op = next();
      opcode = op;
      map = which;
      if (which == MAP_0F38 ? !OpcodeMaps.defined0F38(op) : !OpcodeMaps.defined0F3A(op)) {
        throw invalid("undefined opcode " + (which == MAP_0F38 ? "0F 38 " : "0F 3A ") + hex(op));
      }
      readModRm();
      if (which == MAP_0F3A) {
        readImm(1);
      }
      return finish(Flow.NEXT);
    }

    // ---- VEX and EVEX

    private X86Instruction vexOrLegacy(int op) throws InvalidInstructionException {
      if (!is64 && (peek() & 0xc0) != 0xc0) {
        readModRm(); // LES / LDS Gz, Mp
        requireMemory(op == 0xc4 ? "LES" : "LDS");
        return finish(Flow.NEXT);
      }
      rejectPrefixesBeforeVex("VEX");
      vex = true;
      int b1 = next();
      int pp;
      if (op == 0xc5) { // C5 [R vvvv L pp]
        vexRxb = (~b1 >> 5) & 0b100;
        map = MAP_0F;
        pp = b1 & 3;
      } else { // C4 [R X B mmmmm] [W vvvv L pp]
        vexRxb = (~b1 >> 5) & 0b111;
        int m = b1 & 0x1f;
        if (m < 1 || m > 3) {
          throw invalid("undefined VEX opcode map " + m);
        }
        map = m;
        int b2 = next();
        vexW = (b2 & 0x80) != 0;
        pp = b2 & 3;
      }
      if (!VexOpcodes.defined(map, pp, peek())) {
        throw invalid("undefined VEX opcode " + hex(peek()) + " in map " + map + ", pp " + pp);
      }
      return vexBody();
    }

    private X86Instruction evexOrBound() throws InvalidInstructionException {
      if (!is64 && (peek() & 0xc0) != 0xc0) {
        readModRm(); // BOUND Gv, Ma
        requireMemory("BOUND");
        return finish(Flow.NEXT);
      }
      rejectPrefixesBeforeVex("EVEX");
      vex = true;
      int p0 = next();
      int p1 = next();
      next(); // P2: z L'L b V' aaa
      if ((p0 & 0x08) != 0 || (p1 & 0x04) == 0) {
        throw invalid("malformed EVEX prefix");
      }
      int m = p0 & 0x07;
      if (m < 1 || m > 3) {
        throw invalid("EVEX opcode map " + m + " is not decoded");
      }
      map = m;
      vexRxb = (~p0 >> 5) & 0b111;
      vexW = (p1 & 0x80) != 0;
      return vexBody();
    }

    private X86Instruction vexBody() throws InvalidInstructionException {
      opcode = next();
      if (map == MAP_0F && opcode == 0x77) {
        return finish(Flow.NEXT); // VZEROUPPER / VZEROALL: no ModRM
      }
      readModRm();
      if (map == MAP_0F3A || map == MAP_0F && OpcodeMaps.vexMap1HasImm8(opcode)) {
        readImm(1);
      }
      return finish(Flow.NEXT);
    }

    private void rejectPrefixesBeforeVex(String kind) throws InvalidInstructionException {
      int forbidden = X86Instruction.PREFIX_OPSIZE | X86Instruction.PREFIX_LOCK
          | X86Instruction.PREFIX_REP | X86Instruction.PREFIX_REPNE;
      if ((prefixes & forbidden) != 0 || rex != 0) {
        throw invalid(kind + " after a 66/F0/F2/F3/REX prefix");
      }
    }

    // ---- operands

    private void readModRm() throws InvalidInstructionException {
      int b = next();
      modrmByte = b;
      int mod = b >> 6;
      int reg = (b >> 3) & 7 | (extR() ? 8 : 0);
      int rm = b & 7;
      if (mod == 3) {
        modrm = new ModRm(3, reg, rm | (extB() ? 8 : 0), ModRm.NONE, ModRm.NONE, 1, 0);
        return;
      }
      if (!is64 && (prefixes & X86Instruction.PREFIX_ADDRSIZE) != 0) {
        readModRm16(mod, reg, rm);
        return;
      }
      int base = rm | (extB() ? 8 : 0);
      int index = ModRm.NONE;
      int scale = 1;
      int dispSize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
      if (rm == 4) {
        int sib = next();
        scale = 1 << (sib >> 6);
        int idx = (sib >> 3) & 7 | (extX() ? 8 : 0);
        index = idx == 4 ? ModRm.NONE : idx; // SP cannot be an index (R12 can)
        base = sib & 7 | (extB() ? 8 : 0);
        if ((sib & 7) == 5 && mod == 0) {
          base = ModRm.NONE;
          dispSize = 4;
        }
      } else if (rm == 5 && mod == 0) {
        base = is64 ? ModRm.RIP : ModRm.NONE;
        dispSize = 4;
      }
      long disp = dispSize == 0 ? 0 : readSigned(dispSize);
      modrm = new ModRm(mod, reg, rm | (extB() ? 8 : 0), base, index, scale, disp);
    }

    private void readModRmRegisterOnly() throws InvalidInstructionException {
      int b = next();
      modrm = new ModRm(3, (b >> 3) & 7 | (extR() ? 8 : 0), b & 7 | (extB() ? 8 : 0),
          ModRm.NONE, ModRm.NONE, 1, 0);
    }

    private void readModRm16(int mod, int reg, int rm) throws InvalidInstructionException {
      int dispSize = mod == 1 ? 1 : mod == 2 ? 2 : (mod == 0 && rm == 6 ? 2 : 0);
      long disp = dispSize == 0 ? 0 : readSigned(dispSize);
      modrm = new ModRm(mod, reg, rm, ModRm.NONE, ModRm.NONE, 1, disp);
    }

    private void readImm(int size) throws InvalidInstructionException {
      long v = readSigned(Math.min(size, 8));
      if (size > 8) {
        throw invalid("immediate of " + size + " bytes");
      }
      if (!hasImm) {
        imm = v;
        hasImm = true;
      }
    }

    private long readSigned(int size) throws InvalidInstructionException {
      long v = 0;
      for (int i = 0; i < size; i++) {
        v |= (long) next() << (8 * i);
      }
      int shift = 64 - 8 * size;
      return size == 8 ? v : (v << shift) >> shift;
    }

    private Flow relative(Flow flow) throws InvalidInstructionException {
      if ((prefixes & X86Instruction.PREFIX_OPSIZE) != 0) {
        throw invalid("operand-size prefix on a relative branch (16-bit target)");
      }
      return flow;
    }

    private X86Instruction finish(Flow flow) {
      int length = pos - start;
      long target = 0;
      if (flow.hasTarget()) {
        target = address + length + imm;
        if (!is64) {
          target &= 0xffffffffL;
        }
      }
      return new X86Instruction(address, length, flow, target, map, opcode, vex, prefixes,
          rexW(), Optional.ofNullable(modrm), imm);
    }

    // ---- helpers

    private int immz() {
      return (prefixes & X86Instruction.PREFIX_OPSIZE) != 0 && !rexW() ? 2 : 4;
    }

    private int moffsSize() {
      boolean a = (prefixes & X86Instruction.PREFIX_ADDRSIZE) != 0;
      return is64 ? (a ? 4 : 8) : (a ? 2 : 4);
    }

    private boolean rexW() {
      return is64 && (vex ? vexW : (rex & 8) != 0);
    }

    private boolean extR() {
      return is64 && (vex ? (vexRxb & 4) != 0 : (rex & 4) != 0);
    }

    private boolean extX() {
      return is64 && (vex ? (vexRxb & 2) != 0 : (rex & 2) != 0);
    }

    private boolean extB() {
      return is64 && (vex ? (vexRxb & 1) != 0 : (rex & 1) != 0);
    }

    private void legacyOnly() throws InvalidInstructionException {
      if (is64) {
        throw invalid("opcode " + hex(opcode) + " is undefined in 64-bit mode");
      }
    }

    private void requireMemory(String what) throws InvalidInstructionException {
      if (modrm.isRegister()) {
        throw invalid(what + " with a register operand is undefined");
      }
    }

    private int peek() throws InvalidInstructionException {
      if (pos >= limit) {
        throw truncated();
      }
      return code[pos] & 0xff;
    }

    private int next() throws InvalidInstructionException {
      int b = peek();
      pos++;
      return b;
    }

    private InvalidInstructionException truncated() {
      return pos - start >= MAX_LENGTH
          ? invalid("longer than " + MAX_LENGTH + " bytes")
          : invalid("truncated instruction");
    }

    private InvalidInstructionException invalid(String why) {
      return new InvalidInstructionException(address, why);
    }
  }

  private static String hex(int b) {
    return String.format("%02X", b);
  }
}
