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
 * thread-safe; each call reads only {@code code[offset .. limit)}. A {@link Scanner} decodes the
 * same way without building an {@link X86Instruction} per instruction (linear decodes of whole
 * functions); it is reusable but not thread-safe.
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
    Scanner s = new Scanner();
    s.scan(code, offset, limit, address);
    return s.instruction();
  }

  /** A reusable decoder of this mode, for one thread. */
  public Scanner scanner() {
    return new Scanner();
  }

  /** Decodes the instruction at the start of {@code code}. */
  public X86Instruction decode(byte[] code, long address) throws InvalidInstructionException {
    return decode(code, 0, code.length, address);
  }

  /**
   * Decodes one instruction at a time into its own fields, allocating nothing unless the bytes
   * are invalid: {@link #scan} then {@link #length}, {@link #flow}, {@link #target} and
   * {@link #summary}; {@link #instruction} builds the full value of the last scan.
   */
  public final class Scanner {
    private final boolean is64 = mode == X86Mode.BITS64;
    private byte[] code;
    private int start;
    private int limit;
    private long address;
    private int pos;
    private int prefixes;
    private int rex; // 0 when absent, else 0x40..0x4F
    private boolean vex;
    private boolean vexW;
    private int vexRxb; // R, X, B extension bits from VEX/EVEX as 0b RXB (already un-inverted)
    private int map;
    private int opcode;
    private boolean hasModrm;
    private int mod;
    private int reg;
    private int rm;
    private int base;
    private int index;
    private int scale;
    private long disp;
    private int modrmByte;
    private long imm;
    private boolean hasImm;
    private Flow flow;
    private int length;
    private long target;

    private Scanner() {}

    /**
     * Decodes the instruction at {@code code[offset]}, whose virtual address is {@code address};
     * bytes at or after {@code limit} are not part of the instruction stream. Returns its length.
     */
    public int scan(byte[] code, int offset, int limit, long address) throws InvalidInstructionException {
      if (offset < 0 || offset >= limit || limit > code.length) {
        throw new InvalidInstructionException(address, "no bytes to decode");
      }
      this.code = code;
      this.start = offset;
      this.limit = Math.min(limit, offset + MAX_LENGTH);
      this.address = address;
      pos = offset;
      prefixes = 0;
      rex = 0;
      vex = false;
      vexW = false;
      vexRxb = 0;
      map = MAP_ONE_BYTE;
      hasModrm = false;
      modrmByte = 0;
      imm = 0;
      hasImm = false;
      readPrefixes();
      int op = next();
      char shape = OpcodeMaps.ONE_BYTE.charAt(op);
      opcode = op;
      switch (shape) {
        case '2' -> twoByte();
        case 'C' -> vexOrLegacy(op);
        case 'D' -> evexOrBound();
        default -> oneByte(op, shape);
      }
      return length;
    }

    /** Length of the last scanned instruction, prefixes included. */
    public int length() {
      return length;
    }

    /** Control-flow class of the last scanned instruction. */
    public Flow flow() {
      return flow;
    }

    /** Branch target of the last scanned instruction when its flow has one, else 0. */
    public long target() {
      return target;
    }

    /** Opcode, map and prefixes of the last scanned instruction packed as {@link OpcodeSummary}. */
    public int summary() {
      return OpcodeSummary.of(map, opcode, vex, prefixes, rexW(), hasModrm && mod != 3);
    }

    /** The last scanned instruction as a value. */
    public X86Instruction instruction() {
      Optional<ModRm> m = hasModrm ? Optional.of(new ModRm(mod, reg, rm, base, index, scale, disp)) : Optional.empty();
      return new X86Instruction(address, length, flow, target, map, opcode, vex, prefixes, rexW(), m, imm);
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

    private void oneByte(int op, char shape) throws InvalidInstructionException {
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
          if ((reg & 7) <= 1) {
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
            : OneByteRules.check(op, modrmByte, address);
      }
      finish(flow);
    }

    // ---- two- and three-byte maps

    private void twoByte() throws InvalidInstructionException {
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
          threeByte(MAP_0F38);
          return;
        }
        case '4' -> {
          threeByte(MAP_0F3A);
          return;
        }
        default -> throw invalid("undefined opcode 0F " + hex(op));
      }
      Legacy0F.check(op, prefixes, hasModrm, mod == 3, reg & 7, address);
      if (op == 0x0b) {
        flow = Flow.UNDEFINED;
      } else if (op >= 0x80 && op <= 0x8f) {
        flow = relative(Flow.CONDITIONAL);
      } else if (op == 0xba && (reg & 7) < 4) {
        throw invalid("undefined group 8 extension /" + (reg & 7));
      } else if (op == 0xb8 && (prefixes & X86Instruction.PREFIX_REP) == 0) {
        throw invalid("0F B8 without F3 (JMPE) is not an x86 instruction");
      } else if (op == 0x78 && (prefixes & (X86Instruction.PREFIX_OPSIZE | X86Instruction.PREFIX_REPNE)) != 0) {
        throw invalid("EXTRQ/INSERTQ (SSE4a) immediate forms are not decoded");
      }
      finish(flow);
    }

    private void threeByte(int which) throws InvalidInstructionException {
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
      finish(Flow.NEXT);
    }

    // ---- VEX and EVEX

    private void vexOrLegacy(int op) throws InvalidInstructionException {
      if (!is64 && (peek() & 0xc0) != 0xc0) {
        readModRm(); // LES / LDS Gz, Mp
        requireMemory(op == 0xc4 ? "LES" : "LDS");
        finish(Flow.NEXT);
        return;
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
      vexBody();
    }

    private void evexOrBound() throws InvalidInstructionException {
      if (!is64 && (peek() & 0xc0) != 0xc0) {
        readModRm(); // BOUND Gv, Ma
        requireMemory("BOUND");
        finish(Flow.NEXT);
        return;
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
      vexBody();
    }

    private void vexBody() throws InvalidInstructionException {
      opcode = next();
      if (map == MAP_0F && opcode == 0x77) {
        finish(Flow.NEXT); // VZEROUPPER / VZEROALL: no ModRM
        return;
      }
      readModRm();
      if (map == MAP_0F3A || map == MAP_0F && OpcodeMaps.vexMap1HasImm8(opcode)) {
        readImm(1);
      }
      finish(Flow.NEXT);
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
      modRmFields(b);
      if (mod == 3) {
        return;
      }
      int low = b & 7;
      if (!is64 && (prefixes & X86Instruction.PREFIX_ADDRSIZE) != 0) {
        rm = low;
        reg = (b >> 3) & 7;
        int dispSize = mod == 1 ? 1 : mod == 2 ? 2 : (mod == 0 && low == 6 ? 2 : 0);
        disp = dispSize == 0 ? 0 : readSigned(dispSize);
        return;
      }
      base = rm;
      int dispSize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
      if (low == 4) {
        int sib = next();
        scale = 1 << (sib >> 6);
        int idx = (sib >> 3) & 7 | (extX() ? 8 : 0);
        index = idx == 4 ? ModRm.NONE : idx; // SP cannot be an index (R12 can)
        base = sib & 7 | (extB() ? 8 : 0);
        if ((sib & 7) == 5 && mod == 0) {
          base = ModRm.NONE;
          dispSize = 4;
        }
      } else if (low == 5 && mod == 0) {
        base = is64 ? ModRm.RIP : ModRm.NONE;
        dispSize = 4;
      }
      disp = dispSize == 0 ? 0 : readSigned(dispSize);
    }

    /** A ModRM whose mod bits are ignored: both operands are registers whatever they say. */
    private void readModRmRegisterOnly() throws InvalidInstructionException {
      modRmFields(next());
      mod = 3;
    }

    /** The fields of ModRM byte {@code b} before any SIB or displacement: registers, no memory operand yet. */
    private void modRmFields(int b) {
      hasModrm = true;
      mod = b >> 6;
      reg = (b >> 3) & 7 | (extR() ? 8 : 0);
      rm = b & 7 | (extB() ? 8 : 0);
      base = ModRm.NONE;
      index = ModRm.NONE;
      scale = 1;
      disp = 0;
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

    private void finish(Flow f) {
      flow = f;
      length = pos - start;
      target = 0;
      if (f.hasTarget()) {
        target = address + length + imm;
        if (!is64) {
          target &= 0xffffffffL;
        }
      }
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
      if (mod == 3) {
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
