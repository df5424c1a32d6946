package dev.gotrace.probes.vm;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's memory as the test gives it: bytes at addresses, everything else unmapped. What
 * {@code bpf_probe_read_user} (or, for the kernel's memory, {@code bpf_probe_read_kernel}) reads;
 * a read that touches one byte never given fails as the kernel's does with EFAULT. Multi-byte
 * values are little-endian (amd64, arm64).
 */
public final class SparseMemory {
  private static final int PAGE_SHIFT = 12, PAGE = 1 << PAGE_SHIFT;

  private record Page(byte[] bytes, BitSet present) {}

  private final Map<Long, Page> pages = new HashMap<>();

  /** Sets the bytes at {@code address}, replacing what was there. */
  public SparseMemory put(long address, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      long a = address + i;
      if (i > 0 && Long.compareUnsigned(a, address) < 0) {
        throw new IllegalArgumentException("bytes at 0x" + Long.toHexString(address) + " pass the end of memory");
      }
      Page p = pages.computeIfAbsent(a >>> PAGE_SHIFT, k -> new Page(new byte[PAGE], new BitSet(PAGE)));
      int at = (int) (a & (PAGE - 1));
      p.bytes[at] = bytes[i];
      p.present.set(at);
    }
    return this;
  }

  /** Sets the little-endian u64 at {@code address}. */
  public SparseMemory putLong(long address, long value) {
    return put(address, Bytes.le(value, 8));
  }

  /** Sets the little-endian u32 at {@code address}. */
  public SparseMemory putInt(long address, int value) {
    return put(address, Bytes.le(value, 4));
  }

  /** Sets the UTF-8 bytes of {@code s} at {@code address} (no terminator, as Go stores strings). */
  public SparseMemory putString(long address, String s) {
    return put(address, s.getBytes(StandardCharsets.UTF_8));
  }

  /** Unmaps {@code length} bytes from {@code address}. */
  public SparseMemory remove(long address, int length) {
    for (int i = 0; i < length; i++) {
      Page p = pages.get((address + i) >>> PAGE_SHIFT);
      if (p != null) {
        p.present.clear((int) ((address + i) & (PAGE - 1)));
      }
    }
    return this;
  }

  /** Whether every byte of [address, address + length) was given. */
  public boolean mapped(long address, int length) {
    return read(address, length) != null;
  }

  /** The {@code length} bytes at {@code address}, or null when one of them was never given. */
  public byte[] read(long address, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      long a = address + i;
      if (i > 0 && Long.compareUnsigned(a, address) < 0) {
        return null;
      }
      Page p = pages.get(a >>> PAGE_SHIFT);
      int at = (int) (a & (PAGE - 1));
      if (p == null || !p.present.get(at)) {
        return null;
      }
      out[i] = p.bytes[at];
    }
    return out;
  }

  /** The mapped byte at {@code address}, or -1. */
  int byteAt(long address) {
    Page p = pages.get(address >>> PAGE_SHIFT);
    int at = (int) (address & (PAGE - 1));
    return p == null || !p.present.get(at) ? -1 : p.bytes[at] & 0xff;
  }
}
