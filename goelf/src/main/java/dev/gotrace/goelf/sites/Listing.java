package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.code.Flow;
import java.util.Arrays;

/**
 * A function's instructions from a linear decode, ascending, with lookup by address. Each
 * instruction is a row of primitive columns (offset from the entry, length, flow, direct target
 * and a model-specific detail word: x86 an {@link dev.gotrace.goelf.x86.OpcodeSummary}, arm64 the
 * instruction word), so a decode allocates nothing per instruction. One thread reuses one listing
 * from function to function ({@link #reset}); nothing may keep it past the analysis.
 */
final class Listing {
  private static final Flow[] FLOWS = Flow.values();
  private static final int INITIAL = 256;

  private byte[] code = new byte[0];
  private long entry;
  private int n;
  private int[] offsets = new int[INITIAL];
  private byte[] lengths = new byte[INITIAL];
  private byte[] flows = new byte[INITIAL];
  private long[] targets = new long[INITIAL];
  private int[] details = new int[INITIAL];
  private long codeEnd;

  /** Empties the listing for the instructions of {@code fn}. */
  Listing reset(FunctionCode fn) {
    code = fn.code();
    entry = fn.entry();
    n = 0;
    codeEnd = fn.entry();
    return this;
  }

  /** Appends the instruction at {@code offset} from the entry. */
  void add(int offset, int length, Flow flow, long target, int detail) {
    if (n == offsets.length) {
      int cap = n * 2;
      offsets = Arrays.copyOf(offsets, cap);
      lengths = Arrays.copyOf(lengths, cap);
      flows = Arrays.copyOf(flows, cap);
      targets = Arrays.copyOf(targets, cap);
      details = Arrays.copyOf(details, cap);
    }
    offsets[n] = offset;
    lengths[n] = (byte) length;
    flows[n] = (byte) flow.ordinal();
    targets[n] = target;
    details[n] = detail;
    n++;
  }

  /** Records where the decoded code ends (padding, if any, starts there). */
  void end(long end) {
    codeEnd = end;
  }

  int size() {
    return n;
  }

  /** The function's bytes, from its entry. */
  byte[] code() {
    return code;
  }

  long address(int i) {
    return entry + offsets[i];
  }

  /** Offset of instruction {@code i} from the entry. */
  int offset(int i) {
    return offsets[i];
  }

  long next(int i) {
    return entry + offsets[i] + (lengths[i] & 0xff);
  }

  Flow flow(int i) {
    return FLOWS[flows[i]];
  }

  /** The direct branch target of instruction {@code i} when its flow has one, else 0. */
  long target(int i) {
    return targets[i];
  }

  /** The model's detail word of instruction {@code i}. */
  int detail(int i) {
    return details[i];
  }

  /** Index of the instruction starting at {@code addr}, or -1. */
  int indexOf(long addr) {
    long d = addr - entry;
    if (d < 0 || d > Integer.MAX_VALUE) {
      return -1;
    }
    int i = Arrays.binarySearch(offsets, 0, n, (int) d);
    return i >= 0 ? i : -1;
  }

  long codeEnd() {
    return codeEnd;
  }

  InstructionBoundaries boundaries() {
    return new InstructionBoundaries(entry, Arrays.copyOf(offsets, n), codeEnd);
  }
}
