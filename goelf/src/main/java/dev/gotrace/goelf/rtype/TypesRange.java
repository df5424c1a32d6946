package dev.gotrace.goelf.rtype;

/**
 * {@code [moduledata.types, moduledata.etypes)}: where every runtime type descriptor of the
 * module lies, and the base that {@code nameOff}s and {@code typeOff}s count from.
 */
public record TypesRange(long types, long etypes) {
  /** Whether {@code n} bytes at {@code address} lie inside the range. */
  public boolean contains(long address, long n) {
    return Long.compareUnsigned(address, types) >= 0 && n >= 0
        && Long.compareUnsigned(address + n, etypes) <= 0 && Long.compareUnsigned(address, address + n) <= 0;
  }

  @Override
  public String toString() {
    return "[0x" + Long.toHexString(types) + ", 0x" + Long.toHexString(etypes) + ")";
  }
}
