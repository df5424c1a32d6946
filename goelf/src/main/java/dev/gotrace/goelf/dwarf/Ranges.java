package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads address range lists (DW_AT_ranges): {@code .debug_ranges} for DWARF 2-4 (DWARF 4
 * section 2.17.3: address pairs relative to the unit's base address, base-address selection
 * entries) and {@code .debug_rnglists} for DWARF 5 (section 2.17.3 and 7.25: DW_RLE_* entries,
 * DW_FORM_rnglistx indexes through the unit's DW_AT_rnglists_base). Ranges are
 * {@code {low, high}} pairs with absolute addresses.
 */
final class Ranges {
  static final int MAX_RANGES = 1 << 16;
  private static final int RLE_END = 0, RLE_BASE_ADDRESSX = 1, RLE_STARTX_ENDX = 2,
      RLE_STARTX_LENGTH = 3, RLE_OFFSET_PAIR = 4, RLE_BASE_ADDRESS = 5, RLE_START_END = 6,
      RLE_START_LENGTH = 7;

  private Ranges() {}

  /** The ranges of the current DIE of {@code r}, or an empty list when it has no DW_AT_ranges. */
  static List<long[]> of(DwarfSections s, DieReader r) throws CorruptBinaryException {
    Unit u = r.unit;
    int kind = r.kindOf(Dw.AT_RANGES);
    long value = r.rawValue(Dw.AT_RANGES);
    if (kind == DieReader.K_RNGLISTX) {
      ByteCursor c = s.rnglists().orElseThrow(() -> r.corrupt("DW_FORM_rnglistx without .debug_rnglists"));
      long base = u.rnglistsBase >= 0 ? u.rnglistsBase : (u.dwarf64 ? 20 : 12);
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw c.corrupt(base, "range list index " + value + " out of range");
      }
      return v5(s, r, c, base + c.wordAt(base + value * u.offsetSize(), u.offsetSize()));
    }
    if (kind != DieReader.K_SECOFF && !(kind == DieReader.K_CONST && u.version < 4)) {
      return List.of();
    }
    if (u.version >= 5) {
      return v5(s, r, s.rnglists().orElseThrow(() -> r.corrupt("DW_AT_ranges without .debug_rnglists")), value);
    }
    ByteCursor c = s.ranges().orElseThrow(() -> r.corrupt("DW_AT_ranges without .debug_ranges")).duplicate().seek(value);
    long max = u.addrSize == 8 ? -1L : 0xffffffffL;
    long base = u.lowPc;
    List<long[]> out = new ArrayList<>();
    while (true) {
      int at = c.position();
      long lo = c.word(u.addrSize);
      long hi = c.word(u.addrSize);
      if (lo == 0 && hi == 0) {
        return out;
      }
      if (lo == max) {
        base = hi;
      } else {
        // Offsets from the base wrap at the address size: Go's 386 linker writes a range below
        // the unit's low_pc as a negative 32-bit offset.
        add(out, c, at, (base + lo) & max, (base + hi) & max);
      }
    }
  }

  private static List<long[]> v5(DwarfSections s, DieReader r, ByteCursor sec, long offset) throws CorruptBinaryException {
    Unit u = r.unit;
    ByteCursor c = sec.duplicate().seek(offset);
    long base = u.lowPc;
    List<long[]> out = new ArrayList<>();
    while (true) {
      int at = c.position();
      int kind = c.u8();
      switch (kind) {
        case RLE_END -> {
          return out;
        }
        case RLE_BASE_ADDRESSX -> base = r.indexedAddress(c.uleb128());
        case RLE_BASE_ADDRESS -> base = c.word(u.addrSize);
        case RLE_STARTX_ENDX -> add(out, c, at, r.indexedAddress(c.uleb128()), r.indexedAddress(c.uleb128()));
        case RLE_STARTX_LENGTH -> {
          long lo = r.indexedAddress(c.uleb128());
          add(out, c, at, lo, lo + c.uleb128());
        }
        case RLE_OFFSET_PAIR -> {
          long lo = c.uleb128();
          add(out, c, at, base + lo, base + c.uleb128());
        }
        case RLE_START_END -> add(out, c, at, c.word(u.addrSize), c.word(u.addrSize));
        case RLE_START_LENGTH -> {
          long lo = c.word(u.addrSize);
          add(out, c, at, lo, lo + c.uleb128());
        }
        default -> throw c.corrupt(at, "unknown range list entry kind 0x" + Integer.toHexString(kind));
      }
    }
  }

  private static void add(List<long[]> out, ByteCursor c, int at, long lo, long hi) throws CorruptBinaryException {
    if (out.size() >= MAX_RANGES) {
      throw c.corrupt(at, "range list longer than " + MAX_RANGES + " entries");
    }
    out.add(new long[] {lo, hi});
  }
}
