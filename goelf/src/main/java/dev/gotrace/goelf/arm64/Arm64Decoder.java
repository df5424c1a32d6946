package dev.gotrace.goelf.arm64;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;

/** Decodes A64 instruction words into {@link Arm64Instruction}s. Stateless. */
public final class Arm64Decoder {
  private Arm64Decoder() {}

  /** Decodes the little-endian word at {@code code[offset..offset+4)} located at {@code address}. */
  public static Arm64Instruction decode(byte[] code, int offset, long address)
      throws InvalidInstructionException {
    if (offset < 0 || offset + 4 > code.length) {
      throw new InvalidInstructionException(address, "truncated instruction");
    }
    if ((address & 3) != 0) {
      throw new InvalidInstructionException(address, "misaligned A64 instruction");
    }
    int w = (code[offset] & 0xff) | (code[offset + 1] & 0xff) << 8
        | (code[offset + 2] & 0xff) << 16 | (code[offset + 3] & 0xff) << 24;
    return decode(w, address);
  }

  /** Classifies instruction word {@code w} located at {@code address}. */
  public static Arm64Instruction decode(int w, long address) throws InvalidInstructionException {
    Flow flow = flow(w, address);
    return new Arm64Instruction(address, w, flow, target(w, flow, address));
  }

  /** The control-flow class of instruction word {@code w} at {@code address}, without a value. */
  public static Flow flow(int w, long address) throws InvalidInstructionException {
    int op0 = (w >>> 25) & 0xf;
    if (op0 == 0b0001 || op0 == 0b0011) {
      throw new InvalidInstructionException(address,
          String.format("unallocated A64 encoding %08x", w));
    }
    if (op0 == 0 && (w >>> 16) != 0) {
      throw new InvalidInstructionException(address,
          String.format("reserved/SME A64 encoding %08x is not decoded", w));
    }
    if ((w >>> 16) == 0) {
      return Flow.UNDEFINED; // UDF #imm16
    }
    int ret = w & 0xfffffc1f;
    if (ret == 0xd65f0000 || w == 0xd65f0bff || w == 0xd65f0fff) {
      return Flow.RET; // RET Xn, RETAA, RETAB
    }
    if (ret == 0xd61f0000) {
      return Flow.JUMP_INDIRECT; // BR Xn
    }
    if (ret == 0xd63f0000) {
      return Flow.CALL_INDIRECT; // BLR Xn
    }
    switch (w & 0xfc000000) {
      case 0x14000000: // B imm26
        return Flow.JUMP;
      case 0x94000000: // BL imm26
        return Flow.CALL;
      default:
        break;
    }
    if ((w & 0xff000010) == 0x54000000 // B.cond imm19
        || (w & 0x7e000000) == 0x34000000 // CBZ / CBNZ imm19
        || (w & 0x7e000000) == 0x36000000) { // TBZ / TBNZ imm14
      return Flow.CONDITIONAL;
    }
    if ((w & 0xffe0001f) == 0xd4200000 || (w & 0xffe0001f) == 0xd4400000) {
      return Flow.TRAP; // BRK, HLT
    }
    return Flow.NEXT;
  }

  /** The direct target of word {@code w} at {@code address} whose flow is {@code flow}; 0 when it has none. */
  public static long target(int w, Flow flow, long address) {
    if (!flow.hasTarget()) {
      return 0;
    }
    long words;
    if (flow == Flow.JUMP || flow == Flow.CALL) {
      words = signExtend(w, 26);
    } else if ((w & 0x7e000000) == 0x36000000) {
      words = signExtend(w >>> 5, 14);
    } else {
      words = signExtend(w >>> 5, 19);
    }
    return address + words * 4;
  }

  /** The address an LDR (literal) word {@code w} at {@code address} loads from (imm19 words away). */
  public static long literalAddress(int w, long address) {
    return address + signExtend(w >>> 5, 19) * 4;
  }

  /** The low {@code bits} bits of {@code v}, sign-extended. */
  static long signExtend(int v, int bits) {
    int shift = 32 - bits;
    return (v << shift) >> shift;
  }
}
