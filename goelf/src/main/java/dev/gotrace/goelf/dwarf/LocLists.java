package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads location lists: {@code .debug_loc} for DWARF 2-4 (section 2.6.2 of DWARF 4: address
 * pairs relative to the unit's base address, base-address selection entries) and
 * {@code .debug_loclists} for DWARF 5 (section 7.7.3: DW_LLE_* entries).
 */
final class LocLists {
  /** Most entries one list may have; Go emits a handful per variable. */
  static final int MAX_ENTRIES = 1 << 16;

  private LocLists() {}

  /** The offset in .debug_loclists of list {@code index} of {@code unit} (DW_FORM_loclistx). */
  static long offsetOfIndex(DwarfSections s, Unit unit, long index, DieReader r) throws CorruptBinaryException {
    ByteCursor c = s.loclists().orElseThrow(() -> r.corrupt("DW_FORM_loclistx without .debug_loclists"));
    long base = unit.loclistsBase >= 0 ? unit.loclistsBase : (unit.dwarf64 ? 20L : 12L);
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw c.corrupt(base, "location list index " + index + " out of range");
    }
    return base + c.wordAt(base + index * unit.offsetSize(), unit.offsetSize());
  }

  static Location.LocList read(DwarfSections s, Unit unit, long offset) throws CorruptBinaryException {
    return unit.version >= 5 ? readV5(s, unit, offset) : readV4(s, unit, offset);
  }

  private static Location.LocList readV4(DwarfSections s, Unit unit, long offset) throws CorruptBinaryException {
    ByteCursor sec = s.loc().orElseThrow(() -> new CorruptBinaryException(s.info().file(),
        ".debug_info", unit.offset, "location list at 0x" + Long.toHexString(offset) + " but no .debug_loc"));
    ByteCursor c = sec.duplicate().seek(offset);
    int as = unit.addrSize;
    long max = as == 8 ? -1L : 0xffffffffL;
    long base = unit.lowPc;
    List<Location.Entry> out = new ArrayList<>();
    while (true) {
      int at = c.position();
      long lo = c.word(as);
      long hi = c.word(as);
      if (lo == 0 && hi == 0) {
        return new Location.LocList(out);
      }
      if (lo == max) {
        base = hi;
        continue;
      }
      int n = c.u16();
      byte[] expr = c.bytes(n);
      add(out, c, at, base + lo, base + hi, expr);
    }
  }

  private static Location.LocList readV5(DwarfSections s, Unit unit, long offset) throws CorruptBinaryException {
    ByteCursor sec = s.loclists().orElseThrow(() -> new CorruptBinaryException(s.info().file(),
        ".debug_info", unit.offset, "location list at 0x" + Long.toHexString(offset) + " but no .debug_loclists"));
    ByteCursor c = sec.duplicate().seek(offset);
    int as = unit.addrSize;
    long base = unit.lowPc;
    List<Location.Entry> out = new ArrayList<>();
    while (true) {
      int at = c.position();
      int kind = c.u8();
      switch (kind) {
        case Dw.LLE_END_OF_LIST -> {
          return new Location.LocList(out);
        }
        case Dw.LLE_BASE_ADDRESSX -> base = addrx(s, unit, c.uleb128(), c, at);
        case Dw.LLE_BASE_ADDRESS -> base = c.word(as);
        case Dw.LLE_STARTX_ENDX -> {
          long lo = addrx(s, unit, c.uleb128(), c, at);
          long hi = addrx(s, unit, c.uleb128(), c, at);
          add(out, c, at, lo, hi, expr(c));
        }
        case Dw.LLE_STARTX_LENGTH -> {
          long lo = addrx(s, unit, c.uleb128(), c, at);
          long len = c.uleb128();
          add(out, c, at, lo, lo + len, expr(c));
        }
        case Dw.LLE_OFFSET_PAIR -> {
          long lo = c.uleb128();
          long hi = c.uleb128();
          add(out, c, at, base + lo, base + hi, expr(c));
        }
        case Dw.LLE_DEFAULT_LOCATION -> expr(c);
        case Dw.LLE_START_END -> {
          long lo = c.word(as);
          long hi = c.word(as);
          add(out, c, at, lo, hi, expr(c));
        }
        case Dw.LLE_START_LENGTH -> {
          long lo = c.word(as);
          long len = c.uleb128();
          add(out, c, at, lo, lo + len, expr(c));
        }
        default -> throw c.corrupt(at, "unknown location list entry kind 0x" + Integer.toHexString(kind));
      }
    }
  }

  private static byte[] expr(ByteCursor c) throws CorruptBinaryException {
    return c.bytes(c.uleb128());
  }

  private static long addrx(DwarfSections s, Unit unit, long index, ByteCursor c, int at) throws CorruptBinaryException {
    ByteCursor a = s.addr().orElseThrow(() -> c.corrupt(at, "address index without .debug_addr"));
    long base = unit.addrBase >= 0 ? unit.addrBase : (unit.dwarf64 ? 16L : 8L);
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw c.corrupt(at, "address index " + index + " out of range");
    }
    return a.wordAt(base + index * unit.addrSize, unit.addrSize);
  }

  private static void add(List<Location.Entry> out, ByteCursor c, int at, long lo, long hi, byte[] expr)
      throws CorruptBinaryException {
    if (out.size() >= MAX_ENTRIES) {
      throw c.corrupt(at, "location list longer than " + MAX_ENTRIES + " entries");
    }
    out.add(new Location.Entry(lo, hi, expr));
  }
}
