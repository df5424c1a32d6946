package dev.gotrace.goelf.arm64;

import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.Instruction;

/**
 * One A64 instruction.
 *
 * @param address virtual address
 * @param word the 32-bit encoding
 * @param flow control-flow class
 * @param target branch target of direct branches and calls, else 0
 */
public record Arm64Instruction(long address, int word, Flow flow, long target)
    implements Instruction {

  /** Every A64 instruction is 4 bytes. */
  public static final int LENGTH = 4;

  @Override
  public int length() {
    return LENGTH;
  }

  /**
   * The address loaded by an LDR (literal) instruction (integer or SIMD&FP), if this is one;
   * such a word lies in a literal pool, not in the instruction stream.
   */
  public long literalAddress() {
    return isLiteralLoad() ? Arm64Decoder.literalAddress(word, address) : 0;
  }

  /** Whether this is LDR (literal), LDRSW (literal) or PRFM (literal): {@code xx011x00 imm19 Rt}. */
  public boolean isLiteralLoad() {
    return (word & 0x3b000000) == 0x18000000;
  }

  /** Rt / Rd field (bits 4:0). */
  public int rd() {
    return word & 0x1f;
  }

  /** Rn field (bits 9:5). */
  public int rn() {
    return (word >>> 5) & 0x1f;
  }
}
