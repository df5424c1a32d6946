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
      return new Arm64Instruction(address, w, Flow.UNDEFINED, 0); // UDF #imm16
    }
    int ret = w & 0xfffffc1f;
    if (ret == 0xd65f0000 || w == 0xd65f0bff || w == 0xd65f0fff) {
      return new Arm64Instruction(address, w, Flow.RET, 0); // RET Xn, RETAA, RETAB
    }
    if (ret == 0xd61f0000) {
      return new Arm64Instruction(address, w, Flow.JUMP_INDIRECT, 0); // BR Xn
    }
    if (ret == 0xd63f0000) {
      return new Arm64Instruction(address, w, Flow.CALL_INDIRECT, 0); // BLR Xn
    }
    switch (w & 0xfc000000) {
      case 0x14000000: // B imm26
        return direct(address, w, Flow.JUMP, signExtend(w, 26));
      case 0x94000000: // BL imm26
        return direct(address, w, Flow.CALL, signExtend(w, 26));
      default:
        break;
    }
    if ((w & 0xff000010) == 0x54000000) { // B.cond imm19
      return direct(address, w, Flow.CONDITIONAL, signExtend(w >>> 5, 19));
    }
    if ((w & 0x7e000000) == 0x34000000) { // CBZ / CBNZ imm19
      return direct(address, w, Flow.CONDITIONAL, signExtend(w >>> 5, 19));
    }
    if ((w & 0x7e000000) == 0x36000000) { // TBZ / TBNZ imm14
      return direct(address, w, Flow.CONDITIONAL, signExtend(w >>> 5, 14));
    }
    if ((w & 0xffe0001f) == 0xd4200000 || (w & 0xffe0001f) == 0xd4400000) {
      return new Arm64Instruction(address, w, Flow.TRAP, 0); // BRK, HLT
    }
    return new Arm64Instruction(address, w, Flow.NEXT, 0);
  }

  private static Arm64Instruction direct(long address, int w, Flow flow, long words) {
    return new Arm64Instruction(address, w, flow, address + words * 4);
  }

  /** The low {@code bits} bits of {@code v}, sign-extended. */
  static long signExtend(int v, int bits) {
    int shift = 32 - bits;
    return (v << shift) >> shift;
  }
}
