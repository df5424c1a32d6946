package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.code.Instruction;
import java.util.Arrays;
import java.util.List;

/** A function's instructions from a linear decode, ascending, with lookup by address. */
final class Listing {
  private final List<? extends Instruction> insns;
  private final long[] starts;
  private final long codeEnd;

  Listing(List<? extends Instruction> insns, long codeEnd) {
    this.insns = insns;
    this.starts = new long[insns.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = insns.get(i).address();
    }
    this.codeEnd = codeEnd;
  }

  int size() {
    return insns.size();
  }

  Instruction get(int i) {
    return insns.get(i);
  }

  /** Index of the instruction starting at {@code addr}, or -1. */
  int indexOf(long addr) {
    int i = Arrays.binarySearch(starts, addr);
    return i >= 0 ? i : -1;
  }

  long codeEnd() {
    return codeEnd;
  }

  InstructionBoundaries boundaries() {
    return new InstructionBoundaries(starts.clone(), codeEnd);
  }
}
