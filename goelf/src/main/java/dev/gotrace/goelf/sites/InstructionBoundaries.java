package dev.gotrace.goelf.sites;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * The start addresses of a function's decoded instructions, ascending, and the end of the last
 * one (where padding begins). The one question asked before every attach: is this address the
 * first byte of an instruction? Kept as offsets from the function's entry (4 bytes each).
 */
public final class InstructionBoundaries {
  private static final InstructionBoundaries EMPTY = new InstructionBoundaries(0, new int[0], 0);

  private final long entry;
  private final int[] offsets;
  private final long codeEnd;

  InstructionBoundaries(long entry, int[] offsets, long codeEnd) {
    this.entry = entry;
    this.offsets = offsets;
    this.codeEnd = codeEnd;
  }

  /** No instruction is known (undecodable function): every address is rejected. */
  public static InstructionBoundaries empty() {
    return EMPTY;
  }

  /** Whether {@code addr} is the first byte of a decoded instruction. */
  public boolean isInstructionBoundary(long addr) {
    long d = addr - entry;
    return d >= 0 && d <= Integer.MAX_VALUE && Arrays.binarySearch(offsets, (int) d) >= 0;
  }

  /** Number of decoded instructions. */
  public int count() {
    return offsets.length;
  }

  /** The instruction start addresses, ascending. */
  public LongStream starts() {
    return Arrays.stream(offsets).mapToLong(o -> entry + o);
  }

  /** Address just past the last decoded instruction; padding, if any, starts here. */
  public long codeEnd() {
    return codeEnd;
  }
}
