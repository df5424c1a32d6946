package dev.gotrace.probes.vm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses a program can reach: the context, the stack and, allocated as maps and records
 * need them, map values and ring-buffer records, in a range of kernel-like addresses apart from
 * any user-space address a test gives (with a page between regions, so that an overrun hits none).
 * Map "pointers" ({@code ld_imm64} of a map) are handles at {@link #MAP_HANDLES}, not memory.
 */
final class AddressSpace {
  /** Where the context is; the stack's top (R10) is {@link #STACK_TOP}. */
  static final long CONTEXT = 0xffffc90000000000L, STACK_TOP = 0xffffc90000102000L;
  static final int STACK_SIZE = 512;
  /** The handle of map {@code i} is {@code MAP_HANDLES + i * 0x1000}. */
  static final long MAP_HANDLES = 0xffffff0000000000L;
  private static final long HEAP = 0xffffc90100000000L, PAGE = 4096;

  private final TreeMap<Long, Region> regions = new TreeMap<>(Long::compareUnsigned);
  private long next = HEAP;

  /** A new region of {@code count} elements of {@code elemSize} bytes, {@code stride} apart. */
  Region allocate(String name, int elemSize, int stride, int count, boolean writable) {
    long span = (long) stride * count;
    if (span > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(name + ": " + span + " bytes are more than the interpreter holds");
    }
    Region r = new Region(name, next, new byte[(int) span], writable, elemSize, stride, false);
    next += (span + PAGE - 1) / PAGE * PAGE + PAGE;
    regions.put(r.base, r);
    return r;
  }

  /** Forgets {@code r} (a record submitted long ago): its addresses fault again. */
  void free(Region r) {
    regions.remove(r.base);
  }

  /** Places {@code r} at its fixed base (the context and stack of a run), replacing the last one. */
  void place(Region r) {
    regions.put(r.base, r);
  }

  /** The region {@code n} bytes at {@code addr} fall in, with the access checked. */
  Region.Slice resolve(long addr, int n, boolean write) {
    Map.Entry<Long, Region> e = regions.floorEntry(addr);
    if (e == null || !e.getValue().contains(addr)) {
      String what = (write ? "write" : "read") + " of " + n + " bytes at 0x" + Long.toHexString(addr);
      if (Long.compareUnsigned(addr, PAGE) < 0) {
        throw new Fault(what + ": a null pointer (a map lookup or reservation's result used unchecked?)");
      }
      if (Long.compareUnsigned(addr - MAP_HANDLES, 0x100000000L) < 0) {
        throw new Fault(what + ": a map handle is not memory");
      }
      throw new Fault(what + ": outside the context, the stack, the map values and the reserved records");
    }
    Region r = e.getValue();
    return new Region.Slice(r, r.offset(addr, n, write));
  }

  /** The zero-extended little-endian value of {@code n} bytes at {@code addr}. */
  long load(long addr, int n) {
    Region.Slice s = resolve(addr, n, false);
    return Bytes.get(s.region().bytes, s.at(), n);
  }

  /** Stores the low {@code n} bytes of {@code v} at {@code addr}. */
  void store(long addr, int n, long v) {
    Region.Slice s = resolve(addr, n, true);
    Bytes.put(s.region().bytes, s.at(), n, v);
    s.region().written(s.at(), n);
  }

  /** A copy of the {@code n} bytes at {@code addr}. */
  byte[] read(long addr, int n) {
    Region.Slice s = resolve(addr, n, false);
    byte[] out = new byte[n];
    System.arraycopy(s.region().bytes, s.at(), out, 0, n);
    return out;
  }

  /** Writes {@code b} at {@code addr}. */
  void write(long addr, byte[] b) {
    Region.Slice s = resolve(addr, b.length, true);
    System.arraycopy(b, 0, s.region().bytes, s.at(), b.length);
    s.region().written(s.at(), b.length);
  }
}
