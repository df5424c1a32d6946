package dev.gotrace.goelf.pclntab;

/** A half-open address range {@code [start, end)}. */
public record PcRange(long start, long end) {
  public boolean contains(long pc) {
    return Long.compareUnsigned(pc, start) >= 0 && Long.compareUnsigned(pc, end) < 0;
  }
}
