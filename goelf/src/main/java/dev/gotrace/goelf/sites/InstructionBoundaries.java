package dev.gotrace.goelf.sites;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * The start addresses of a function's decoded instructions, ascending, and the end of the last
 * one (where padding begins). The one question asked before every attach: is this address the
 * first byte of an instruction?
 */
public final class InstructionBoundaries {
  private static final InstructionBoundaries EMPTY = new InstructionBoundaries(new long[0], 0);

  private final long[] starts;
  private final long codeEnd;

  InstructionBoundaries(long[] starts, long codeEnd) {
    this.starts = starts;
    this.codeEnd = codeEnd;
  }

  /** No instruction is known (undecodable function): every address is rejected. */
  public static InstructionBoundaries empty() {
    return EMPTY;
  }

  /** Whether {@code addr} is the first byte of a decoded instruction. */
  public boolean isInstructionBoundary(long addr) {
    return Arrays.binarySearch(starts, addr) >= 0;
  }

  /** Number of decoded instructions. */
  public int count() {
    return starts.length;
  }

  /** The instruction start addresses, ascending. */
  public LongStream starts() {
    return Arrays.stream(starts);
  }

  /** Address just past the last decoded instruction; padding, if any, starts here. */
  public long codeEnd() {
    return codeEnd;
  }
}
