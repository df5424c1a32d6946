package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;

/**
 * One unit header of {@code .debug_info} (DWARF 4 section 7.5.1.1, DWARF 5 section 7.5.1), in
 * the 32-bit or the 64-bit DWARF format, plus the base attributes of its root DIE that later
 * forms depend on (DW_AT_str_offsets_base, DW_AT_addr_base, DW_AT_loclists_base, ...).
 */
final class Unit {
  final long offset;
  final int version;
  final int unitType;
  final boolean dwarf64;
  final int addrSize;
  final long abbrevOffset;
  /** Offset of the first DIE, and one past the last byte of the unit, in .debug_info. */
  final int dieStart;
  final int end;
  Abbrev.Table abbrevs;
  // Filled from the root DIE.
  long lowPc;
  long strOffsetsBase = -1;
  long addrBase = -1;
  long loclistsBase = -1;
  long rnglistsBase = -1;

  private Unit(long offset, int version, int unitType, boolean dwarf64, int addrSize,
      long abbrevOffset, int dieStart, int end) {
    this.offset = offset;
    this.version = version;
    this.unitType = unitType;
    this.dwarf64 = dwarf64;
    this.addrSize = addrSize;
    this.abbrevOffset = abbrevOffset;
    this.dieStart = dieStart;
    this.end = end;
  }

  int offsetSize() {
    return dwarf64 ? 8 : 4;
  }

  /** Reads the header at the cursor's position and leaves the cursor at the first DIE. */
  static Unit read(ByteCursor c, int ptrSize) throws CorruptBinaryException {
    int start = c.position();
    long length = c.u32();
    boolean dwarf64 = false;
    if (length == 0xffffffffL) {
      dwarf64 = true;
      length = c.u64();
    } else if (length >= 0xfffffff0L) {
      throw c.corrupt(start, "reserved unit length 0x" + Long.toHexString(length));
    }
    int afterLength = c.position();
    if (length < 0 || length > c.size() - afterLength) {
      throw c.corrupt(start, "unit length " + length + " runs past the end of " + c.region());
    }
    int end = afterLength + (int) length;
    int version = c.u16();
    if (version < 2 || version > 5) {
      throw c.corrupt(start, "unsupported DWARF version " + version + " (supported: 2 to 5)");
    }
    int unitType = Dw.UT_COMPILE;
    int addrSize;
    long abbrevOffset;
    if (version >= 5) {
      unitType = c.u8();
      addrSize = c.u8();
      abbrevOffset = dwarf64 ? c.u64() : c.u32();
      switch (unitType) {
        case Dw.UT_COMPILE, Dw.UT_PARTIAL -> { }
        case Dw.UT_SKELETON, Dw.UT_SPLIT_COMPILE -> c.skip(8);
        case Dw.UT_TYPE, Dw.UT_SPLIT_TYPE -> c.skip(8 + (dwarf64 ? 8 : 4));
        default -> throw c.corrupt(start, "unknown unit type 0x" + Integer.toHexString(unitType));
      }
    } else {
      abbrevOffset = dwarf64 ? c.u64() : c.u32();
      addrSize = c.u8();
    }
    if (addrSize != 4 && addrSize != 8) {
      throw c.corrupt(start, "invalid address size " + addrSize);
    }
    if (addrSize != ptrSize) {
      throw c.corrupt(start, "address size " + addrSize + " in a binary with " + ptrSize + "-byte pointers");
    }
    if (c.position() > end) {
      throw c.corrupt(start, "unit header longer than the unit");
    }
    return new Unit(start, version, unitType, dwarf64, addrSize, abbrevOffset, c.position(), end);
  }
}
