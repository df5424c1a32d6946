package dev.gotrace.core.stack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One value of the kernel's stack map as the walk left it ({@code core.codegen.StackAsm}): why
 * the walk ended, and the runtime PCs it collected, innermost first.
 *
 * @param end the kernel's end code (StackAsm's {@code END_*}: 1 chain end, 2 unreadable, 3 depth,
 *     4 unproven site)
 * @param pcs runtime addresses: the probed PC, then return addresses
 */
public record KernelStack(int end, long[] pcs) {
  /** The kernel's end codes (StackAsm.END_*; the same numbers). */
  public static final int CHAIN = 1, UNREADABLE = 2, DEPTH = 3, UNPROVEN = 4;

  public KernelStack {
    pcs = pcs.clone();
  }

  @Override
  public long[] pcs() {
    return pcs.clone();
  }

  /** The PC at {@code i} (0: the probed one). */
  public long pc(int i) {
    return pcs[i];
  }

  public int depth() {
    return pcs.length;
  }

  /**
   * A map value: u64 little-endian words, the end code then the PCs, 0 after the last. A value
   * that is not a whole number of words, or too short, is an empty unreadable stack.
   */
  public static KernelStack parse(byte[] value) {
    if (value.length < 8 || value.length % 8 != 0) {
      return new KernelStack(UNREADABLE, new long[0]);
    }
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    long end = b.getLong();
    long[] pcs = new long[value.length / 8 - 1];
    int n = 0;
    while (b.hasRemaining()) {
      long pc = b.getLong();
      if (pc == 0) {
        break;
      }
      pcs[n++] = pc;
    }
    int code = end >= CHAIN && end <= UNPROVEN ? (int) end : UNREADABLE;
    return new KernelStack(code, Arrays.copyOf(pcs, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelStack k && k.end == end && Arrays.equals(k.pcs, pcs);
  }

  @Override
  public int hashCode() {
    return 31 * end + Arrays.hashCode(pcs);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("KernelStack[end=" + end + ", pcs=");
    for (int i = 0; i < pcs.length; i++) {
      s.append(i == 0 ? "" : " ").append("0x").append(Long.toHexString(pcs[i]));
    }
    return s.append(']').toString();
  }
}
