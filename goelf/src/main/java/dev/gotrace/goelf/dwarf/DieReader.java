package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.Optional;

/**
 * Decodes the DIEs of one unit in order (DWARF 5 section 7.5.4 and 7.5.5). Reading a DIE fills
 * this object's fields, which the next read overwrites; values of every form are kept undecoded
 * (an offset, an index, a block position) and resolved by the accessors, so that skipping an
 * attribute costs nothing.
 */
final class DieReader {
  // What a raw attribute value is.
  static final int K_CONST = 1, K_SCONST = 2, K_ADDR = 3, K_ADDRX = 4, K_REF = 5, K_STRP = 6,
      K_LINE_STRP = 7, K_STRX = 8, K_STRING = 9, K_BLOCK = 10, K_FLAG = 11, K_SECOFF = 12,
      K_LOCLISTX = 13, K_RNGLISTX = 14, K_OTHER = 15;

  private final DwarfSections s;
  private final ByteCursor c;
  final Unit unit;

  // The current DIE.
  int offset;
  Abbrev abbrev; // null for a null entry
  final int[] kind;
  final long[] val;
  final int[] len;

  DieReader(DwarfSections s, ByteCursor info, Unit unit) throws CorruptBinaryException {
    this.s = s;
    this.c = info.duplicate().seek(unit.dieStart);
    this.unit = unit;
    int n = unit.abbrevs.maxAttrs;
    this.kind = new int[n];
    this.val = new long[n];
    this.len = new int[n];
  }

  /** Positions the reader at the DIE at {@code dieOffset} of its unit, which {@link #next} reads. */
  DieReader at(long dieOffset) throws CorruptBinaryException {
    if (dieOffset < unit.dieStart || dieOffset >= unit.end) {
      throw c.corrupt(unit.dieStart, "DIE offset 0x" + Long.toHexString(dieOffset) + " is outside its unit");
    }
    c.seek((int) dieOffset);
    return this;
  }

  boolean atEnd() {
    return c.position() >= unit.end;
  }

  /** Reads the next DIE or null entry; returns false for a null entry. */
  boolean next() throws CorruptBinaryException {
    offset = c.position();
    long code = c.uleb128();
    if (code == 0) {
      abbrev = null;
      return false;
    }
    Abbrev a = unit.abbrevs.get(code);
    if (a == null) {
      throw c.corrupt(offset, "unknown abbreviation code " + code);
    }
    abbrev = a;
    int[] forms = a.forms();
    for (int i = 0; i < forms.length; i++) {
      readForm(i, forms[i], a.consts()[i], 0);
    }
    if (c.position() > unit.end) {
      throw c.corrupt(offset, "DIE runs past the end of its unit");
    }
    return true;
  }

  private void readForm(int i, int form, long implicitConst, int indirections) throws CorruptBinaryException {
    int os = unit.offsetSize();
    len[i] = 0;
    switch (form) {
      case Dw.FORM_ADDR -> set(i, K_ADDR, c.word(unit.addrSize));
      case Dw.FORM_DATA1 -> set(i, K_CONST, c.u8());
      case Dw.FORM_DATA2 -> set(i, K_CONST, c.u16());
      case Dw.FORM_DATA4 -> set(i, K_CONST, c.u32());
      case Dw.FORM_DATA8 -> set(i, K_CONST, c.u64());
      case Dw.FORM_DATA16 -> { set(i, K_OTHER, c.position()); c.skip(16); }
      case Dw.FORM_SDATA -> set(i, K_SCONST, c.sleb128());
      case Dw.FORM_UDATA -> set(i, K_CONST, c.uleb128());
      case Dw.FORM_IMPLICIT_CONST -> set(i, K_SCONST, implicitConst);
      case Dw.FORM_FLAG -> set(i, K_FLAG, c.u8());
      case Dw.FORM_FLAG_PRESENT -> set(i, K_FLAG, 1);
      case Dw.FORM_REF1 -> set(i, K_REF, unit.offset + c.u8());
      case Dw.FORM_REF2 -> set(i, K_REF, unit.offset + c.u16());
      case Dw.FORM_REF4 -> set(i, K_REF, unit.offset + c.u32());
      case Dw.FORM_REF8 -> set(i, K_REF, unit.offset + c.u64());
      case Dw.FORM_REF_UDATA -> set(i, K_REF, unit.offset + c.uleb128());
      case Dw.FORM_REF_ADDR -> set(i, K_REF, unit.version <= 2 ? c.word(unit.addrSize) : c.word(os));
      case Dw.FORM_REF_SIG8 -> set(i, K_OTHER, c.u64());
      case Dw.FORM_REF_SUP4 -> set(i, K_OTHER, c.u32());
      case Dw.FORM_REF_SUP8 -> set(i, K_OTHER, c.u64());
      case Dw.FORM_GNU_REF_ALT, Dw.FORM_GNU_STRP_ALT, Dw.FORM_STRP_SUP -> set(i, K_OTHER, c.word(os));
      case Dw.FORM_STRP -> set(i, K_STRP, c.word(os));
      case Dw.FORM_LINE_STRP -> set(i, K_LINE_STRP, c.word(os));
      case Dw.FORM_STRING -> { set(i, K_STRING, c.position()); c.cstring(); }
      case Dw.FORM_STRX, Dw.FORM_GNU_STR_INDEX -> set(i, K_STRX, c.uleb128());
      case Dw.FORM_STRX1 -> set(i, K_STRX, c.u8());
      case Dw.FORM_STRX2 -> set(i, K_STRX, c.u16());
      case Dw.FORM_STRX3 -> set(i, K_STRX, u24());
      case Dw.FORM_STRX4 -> set(i, K_STRX, c.u32());
      case Dw.FORM_ADDRX, Dw.FORM_GNU_ADDR_INDEX -> set(i, K_ADDRX, c.uleb128());
      case Dw.FORM_ADDRX1 -> set(i, K_ADDRX, c.u8());
      case Dw.FORM_ADDRX2 -> set(i, K_ADDRX, c.u16());
      case Dw.FORM_ADDRX3 -> set(i, K_ADDRX, u24());
      case Dw.FORM_ADDRX4 -> set(i, K_ADDRX, c.u32());
      case Dw.FORM_SEC_OFFSET -> set(i, K_SECOFF, c.word(os));
      case Dw.FORM_LOCLISTX -> set(i, K_LOCLISTX, c.uleb128());
      case Dw.FORM_RNGLISTX -> set(i, K_RNGLISTX, c.uleb128());
      case Dw.FORM_BLOCK1 -> block(i, c.u8());
      case Dw.FORM_BLOCK2 -> block(i, c.u16());
      case Dw.FORM_BLOCK4 -> block(i, c.u32());
      case Dw.FORM_BLOCK, Dw.FORM_EXPRLOC -> block(i, c.uleb128());
      case Dw.FORM_INDIRECT -> {
        int at = c.position();
        long f = c.uleb128();
        if (indirections > 0 || f == Dw.FORM_INDIRECT || f == Dw.FORM_IMPLICIT_CONST || f > 0xffff) {
          throw c.corrupt(at, "invalid DW_FORM_indirect form 0x" + Long.toHexString(f));
        }
        readForm(i, (int) f, 0, indirections + 1);
      }
      default -> throw c.corrupt(offset, "unknown attribute form 0x" + Integer.toHexString(form));
    }
  }

  private long u24() throws CorruptBinaryException {
    int lo = c.u16();
    return lo | ((long) c.u8() << 16);
  }

  private void set(int i, int k, long v) {
    kind[i] = k;
    val[i] = v;
  }

  private void block(int i, long n) throws CorruptBinaryException {
    int at = c.position();
    c.check(at, n);
    c.skip(n);
    kind[i] = K_BLOCK;
    val[i] = at;
    len[i] = (int) n;
  }

  // ---- accessors of the current DIE

  int tag() {
    return abbrev.tag();
  }

  int find(int attr) {
    int[] attrs = abbrev.attrs();
    for (int i = 0; i < attrs.length; i++) {
      if (attrs[i] == attr) {
        return i;
      }
    }
    return -1;
  }

  boolean has(int attr) {
    return find(attr) >= 0;
  }

  /** A constant or flag attribute, or {@code dflt} when absent or of another class. */
  long constant(int attr, long dflt) {
    int i = find(attr);
    if (i < 0) {
      return dflt;
    }
    return switch (kind[i]) {
      case K_CONST, K_SCONST, K_FLAG -> val[i];
      default -> dflt;
    };
  }

  /** A reference attribute as an absolute .debug_info offset, or -1. */
  long ref(int attr) {
    int i = find(attr);
    return i >= 0 && kind[i] == K_REF ? val[i] : -1;
  }

  /** A string attribute, or null when absent. */
  String string(int attr) throws CorruptBinaryException {
    int i = find(attr);
    if (i < 0) {
      return null;
    }
    long v = val[i];
    return switch (kind[i]) {
      case K_STRING -> c.cstringAt(v);
      case K_STRP -> section(s.str(), ".debug_str", v).cstringAt(v);
      case K_LINE_STRP -> section(s.lineStr(), ".debug_line_str", v).cstringAt(v);
      case K_STRX -> {
        ByteCursor offs = section(s.strOffsets(), ".debug_str_offsets", v);
        long base = unit.strOffsetsBase >= 0 ? unit.strOffsetsBase : 8L * (unit.dwarf64 ? 2 : 1);
        long at = base + v * unit.offsetSize();
        if (v < 0 || v > Integer.MAX_VALUE) {
          throw offs.corrupt(base, "string index " + v + " out of range");
        }
        long off = offs.wordAt(at, unit.offsetSize());
        yield section(s.str(), ".debug_str", off).cstringAt(off);
      }
      default -> null;
    };
  }

  /** An address attribute (DW_FORM_addr or addrx*), or -1. */
  long address(int attr) throws CorruptBinaryException {
    int i = find(attr);
    if (i < 0) {
      return -1;
    }
    return switch (kind[i]) {
      case K_ADDR -> val[i];
      case K_ADDRX -> indexedAddress(val[i]);
      default -> -1;
    };
  }

  long indexedAddress(long index) throws CorruptBinaryException {
    ByteCursor a = section(s.addr(), ".debug_addr", index);
    long base = unit.addrBase >= 0 ? unit.addrBase : (unit.dwarf64 ? 16L : 8L);
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw a.corrupt(base, "address index " + index + " out of range");
    }
    return a.wordAt(base + index * unit.addrSize, unit.addrSize);
  }

  /** The kind and raw value of attribute {@code attr}, or kind 0 when absent. */
  int kindOf(int attr) {
    int i = find(attr);
    return i < 0 ? 0 : kind[i];
  }

  long rawValue(int attr) {
    int i = find(attr);
    return i < 0 ? 0 : val[i];
  }

  /** The bytes of a block or exprloc attribute, or null. */
  byte[] block(int attr) throws CorruptBinaryException {
    int i = find(attr);
    if (i < 0 || kind[i] != K_BLOCK) {
      return null;
    }
    return c.bytesAt(val[i], len[i]);
  }

  CorruptBinaryException corrupt(String what) {
    return c.corrupt(offset, what);
  }

  private ByteCursor section(Optional<ByteCursor> sec, String name, long at) throws CorruptBinaryException {
    if (sec.isEmpty()) {
      throw c.corrupt(offset, "attribute refers to " + name + " at 0x" + Long.toHexString(at)
          + " but the binary has no " + name);
    }
    return sec.get();
  }
}
