package dev.gotrace.probes.vm;

import java.util.BitSet;

/**
 * A range of addresses a program may touch: the context, the stack, a map value (an array map's
 * values form one region of {@code count} elements of {@code elemSize} bytes every {@code stride}
 * bytes, and an access must stay inside one element), or a reserved ring-buffer record.
 */
final class Region {
  final String name;
  final long base;
  final byte[] bytes;
  final boolean writable;
  final int elemSize;
  final int stride;
  /** Initialised bytes, tracked for the stack only (null elsewhere: all initialised). */
  final BitSet init;
  /** False once a ring-buffer record was submitted or discarded. */
  boolean live = true;

  Region(String name, long base, byte[] bytes, boolean writable, int elemSize, int stride, boolean trackInit) {
    this.name = name;
    this.base = base;
    this.bytes = bytes;
    this.writable = writable;
    this.elemSize = elemSize;
    this.stride = stride;
    this.init = trackInit ? new BitSet(bytes.length) : null;
  }

  /** Where an access landed: its region and the offset in the region's bytes. */
  record Slice(Region region, int at) {}

  /** A region of one element. */
  Region(String name, long base, int size, boolean writable) {
    this(name, base, new byte[size], writable, size, size, false);
  }

  /** Whether {@code addr} falls inside this region's span. */
  boolean contains(long addr) {
    return Long.compareUnsigned(addr - base, bytes.length) < 0;
  }

  /**
   * The offset in {@link #bytes} of an access of {@code n} bytes at {@code addr} (inside the span),
   * or a Fault naming why it is refused.
   */
  int offset(long addr, int n, boolean write) {
    int at = (int) (addr - base);
    if (!live) {
      throw new Fault(verb(write) + " of " + n + " bytes at " + where(at) + ": the record was already submitted or discarded");
    }
    if (write && !writable) {
      throw new Fault("write of " + n + " bytes at " + where(at) + ": " + name + " is read-only");
    }
    int inElem = at % stride;
    if (inElem + n > elemSize) {
      throw new Fault(verb(write) + " of " + n + " bytes at " + where(at) + " passes the end of " + name
          + " (" + elemSize + " bytes)");
    }
    if (!write && init != null) {
      int missing = init.nextClearBit(at);
      if (missing < at + n) {
        throw new Fault("read of " + n + " bytes at " + where(at) + ": " + where(missing)
            + " was never written (uninitialised stack)");
      }
    }
    return at;
  }

  /** Marks [at, at + n) written. */
  void written(int at, int n) {
    if (init != null) {
      init.set(at, at + n);
    }
  }

  /** {@code at} as the program's reader would name it: fp-24, ctx+168, hist[3]+4. */
  String where(int at) {
    if (init != null) {
      return "fp" + (at - bytes.length);
    }
    if (stride != bytes.length) {
      return name + "[" + at / stride + "]+" + at % stride;
    }
    return (name.equals("the context") ? "ctx" : name) + "+" + at;
  }

  private static String verb(boolean write) {
    return write ? "write" : "read";
  }
}
