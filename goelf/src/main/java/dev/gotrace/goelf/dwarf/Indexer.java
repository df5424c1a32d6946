package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the DIEs of the units it is given, keeping what the index needs: type DIEs with their
 * members, subprograms with their formal parameters, and every offset they refer to (so that
 * {@link DwarfUnits} can read the units those land in). Nothing is resolved here; DIE trees are
 * walked iteratively with a depth cap, never recursively.
 */
final class Indexer {
  /** Deepest DIE nesting accepted; Go nests a few levels, C a few dozen at most. */
  static final int MAX_DEPTH = 256;

  static final class RawType {
    final long offset;
    final int tag;
    final Unit unit;
    String name;
    long size = -1;
    int encoding;
    int goKind;
    long type = -1;
    long elem = -1;
    long key = -1;
    long count = -1;
    long dictIndex = -1;
    long runtimeType = -1;
    final List<RawMember> members = new ArrayList<>(0);
    final List<Long> params = new ArrayList<>(0);

    RawType(long offset, int tag, Unit unit) {
      this.offset = offset;
      this.tag = tag;
      this.unit = unit;
    }
  }

  /** A DW_TAG_member: {@code at} is its own DIE offset, for messages. */
  record RawMember(String name, long offset, long type, boolean embedded, long at) {}

  static final class RawParam {
    final long offset;
    String name;
    long type = -1;
    int variable = -1; // -1 absent, else the flag
    long origin = -1;
    byte[] expr;
    long listOffset = -1;
    Unit unit;

    RawParam(long offset) {
      this.offset = offset;
    }
  }

  static final class RawSub {
    final long offset;
    String name;
    long lowPc = -1;
    long highPc = -1;
    long origin = -1;
    final List<RawParam> params = new ArrayList<>(4);

    RawSub(long offset) {
      this.offset = offset;
    }
  }

  /** A DW_TAG_inlined_subroutine: a copy of {@code origin}'s body, with its own parameter locations. */
  static final class RawInlined {
    final long offset;
    long origin = -1;
    List<long[]> ranges = List.of();
    final List<RawParam> params = new ArrayList<>(2);

    RawInlined(long offset) {
      this.offset = offset;
    }
  }

  /** Type DIEs in the order they appear. */
  final Map<Long, RawType> types = new LinkedHashMap<>();
  /** Subprograms and parameters without code, by offset: what DW_AT_abstract_origin names. */
  final Map<Long, RawSub> subs = new HashMap<>();
  final List<RawSub> subList = new ArrayList<>();
  final Map<Long, RawParam> params = new HashMap<>();
  /** Inlined copies in DIE order. */
  final List<RawInlined> inlined = new ArrayList<>();
  /** Local variables and their lexical blocks. */
  final LocalDies locals = new LocalDies();
  private final DwarfSections s;
  private final Map<Long, Abbrev.Table> abbrevTables = new HashMap<>();

  Indexer(DwarfSections s) {
    this.s = s;
  }

  /** Every reference target read so far (types, members, origins), in reading order. */
  final List<Long> refs = new ArrayList<>();

  /**
   * Indexes the DIEs of one unit whose header {@link UnitIndex} read. Raw values are keyed by
   * absolute .debug_info offsets, so units may be walked in any order, each at most once.
   */
  void walkUnit(Unit u) throws CorruptBinaryException {
    if (u.abbrevs == null) {
      u.abbrevs = abbrevs(s, u, abbrevTables);
    }
    walk(u);
  }

  /** The abbreviation table of {@code u}, read once per offset into {@code tables}. */
  static Abbrev.Table abbrevs(DwarfSections s, Unit u, Map<Long, Abbrev.Table> tables) throws CorruptBinaryException {
    Abbrev.Table t = tables.get(u.abbrevOffset);
    if (t == null) {
      if (!s.abbrev().contains(u.abbrevOffset, 1)) {
        throw s.info().corrupt(u.offset, "abbreviation offset 0x" + Long.toHexString(u.abbrevOffset)
            + " outside .debug_abbrev");
      }
      t = Abbrev.Table.read(s.abbrev(), u.abbrevOffset);
      tables.put(u.abbrevOffset, t);
    }
    return t;
  }

  private void walk(Unit u) throws CorruptBinaryException {
    DieReader r = new DieReader(s, s.info(), u);
    Object[] ctx = new Object[MAX_DEPTH + 1];
    int depth = 0;
    boolean root = true;
    while (!r.atEnd()) {
      if (!r.next()) {
        if (depth > 0) {
          depth--;
        }
        continue;
      }
      if (root) {
        rootAttributes(r, u);
        root = false;
      }
      Object parent = depth > 0 ? ctx[depth - 1] : null;
      Object mine = visit(r, parent);
      if (r.abbrev.children()) {
        if (depth >= MAX_DEPTH) {
          throw r.corrupt("DIEs nested deeper than " + MAX_DEPTH);
        }
        ctx[depth++] = mine;
      }
    }
  }

  static void rootAttributes(DieReader r, Unit u) throws CorruptBinaryException {
    u.strOffsetsBase = base(r, Dw.AT_STR_OFFSETS_BASE);
    u.addrBase = base(r, Dw.AT_ADDR_BASE);
    u.loclistsBase = base(r, Dw.AT_LOCLISTS_BASE);
    u.rnglistsBase = base(r, Dw.AT_RNGLISTS_BASE);
    long low = r.address(Dw.AT_LOW_PC);
    u.lowPc = low == -1 ? 0 : low;
  }

  private static long base(DieReader r, int attr) {
    int k = r.kindOf(attr);
    return k == DieReader.K_SECOFF || k == DieReader.K_CONST ? r.rawValue(attr) : -1;
  }

  private Object visit(DieReader r, Object parent) throws CorruptBinaryException {
    int tag = r.tag();
    if (LocalDies.claims(tag, parent)) {
      return locals.visit(this, r, parent);
    }
    switch (tag) {
      case Dw.TAG_SUBPROGRAM -> {
        RawSub sub = new RawSub(r.offset);
        sub.name = r.string(Dw.AT_NAME);
        long[] span = span(r);
        sub.lowPc = span[0];
        sub.highPc = span[1];
        sub.origin = r.ref(Dw.AT_ABSTRACT_ORIGIN);
        if (sub.origin == -1) {
          sub.origin = r.ref(Dw.AT_SPECIFICATION);
        }
        refs.add(sub.origin);
        if (sub.lowPc == -1) {
          subs.put(sub.offset, sub); // only code-less (abstract) DIEs are targets of origins
        }
        subList.add(sub);
        return sub;
      }
      case Dw.TAG_INLINED_SUBROUTINE -> {
        RawInlined in = new RawInlined(r.offset);
        in.origin = r.ref(Dw.AT_ABSTRACT_ORIGIN);
        refs.add(in.origin);
        long low = r.address(Dw.AT_LOW_PC);
        if (low != -1) {
          in.ranges = List.of(new long[] {low, highPc(r, low)});
        } else if (r.has(Dw.AT_RANGES)) {
          in.ranges = Ranges.of(s, r);
        }
        inlined.add(in);
        return in;
      }
      case Dw.TAG_FORMAL_PARAMETER -> {
        if (parent instanceof RawInlined in) {
          in.params.add(param(r, false));
        } else if (parent instanceof RawSub sub) {
          sub.params.add(param(r, sub.lowPc == -1));
        } else if (parent instanceof RawType t) {
          t.params.add(r.ref(Dw.AT_TYPE));
          refs.add(r.ref(Dw.AT_TYPE));
        }
        return null;
      }
      case Dw.TAG_MEMBER -> {
        if (parent instanceof RawType t) {
          long off = r.constant(Dw.AT_DATA_MEMBER_LOCATION, -1);
          if (off == -1 && r.kindOf(Dw.AT_DATA_MEMBER_LOCATION) == DieReader.K_BLOCK) {
            off = memberOffsetExpr(r.block(Dw.AT_DATA_MEMBER_LOCATION));
          }
          refs.add(r.ref(Dw.AT_TYPE));
          t.members.add(new RawMember(r.string(Dw.AT_NAME), off, r.ref(Dw.AT_TYPE),
              r.constant(Dw.AT_GO_EMBEDDED_FIELD, 0) != 0, r.offset));
        }
        return null;
      }
      case Dw.TAG_SUBRANGE_TYPE -> {
        if (parent instanceof RawType t && t.tag == Dw.TAG_ARRAY_TYPE && t.count == -1) {
          long n = r.constant(Dw.AT_COUNT, -1);
          if (n == -1 && r.has(Dw.AT_UPPER_BOUND)) {
            long ub = r.constant(Dw.AT_UPPER_BOUND, -2);
            n = ub >= -1 ? ub + 1 : -1;
          }
          t.count = n;
        }
        return type(r, tag);
      }
      default -> {
        return isType(tag) ? type(r, tag) : null;
      }
    }
  }

  /**
   * {lowPc, highPc} of a subprogram: DW_AT_low_pc/high_pc, or the lowest of its DW_AT_ranges
   * (code in several ranges, gcc's hot/cold split); {-1, -1} when it has no code.
   */
  private long[] span(DieReader r) throws CorruptBinaryException {
    long low = r.address(Dw.AT_LOW_PC);
    if (low != -1) {
      return new long[] {low, highPc(r, low)};
    }
    long[] best = {-1, -1};
    if (r.has(Dw.AT_RANGES)) {
      for (long[] range : Ranges.of(s, r)) {
        if (best[0] == -1 || Long.compareUnsigned(range[0], best[0]) < 0) {
          best = range;
        }
      }
    }
    return best;
  }

  /** DW_AT_high_pc as an address or as a length from {@code low}; low_pc alone names one address. */
  static long highPc(DieReader r, long low) throws CorruptBinaryException {
    int hk = r.kindOf(Dw.AT_HIGH_PC);
    long high = hk == DieReader.K_CONST || hk == DieReader.K_SCONST ? low + r.rawValue(Dw.AT_HIGH_PC)
        : r.address(Dw.AT_HIGH_PC);
    return high == -1 ? low + 1 : high;
  }

  RawParam param(DieReader r, boolean abstractSub) throws CorruptBinaryException {
    RawParam p = readParam(s, r);
    refs.add(p.type);
    refs.add(p.origin);
    if (abstractSub) {
      params.put(p.offset, p);
    }
    return p;
  }

  /** The attributes of the parameter or variable DIE {@code r} has just read. */
  static RawParam readParam(DwarfSections s, DieReader r) throws CorruptBinaryException {
    RawParam p = new RawParam(r.offset);
    p.name = r.string(Dw.AT_NAME);
    p.type = r.ref(Dw.AT_TYPE);
    p.variable = r.has(Dw.AT_VARIABLE_PARAMETER) ? (int) r.constant(Dw.AT_VARIABLE_PARAMETER, 0) : -1;
    p.origin = r.ref(Dw.AT_ABSTRACT_ORIGIN);
    p.unit = r.unit;
    switch (r.kindOf(Dw.AT_LOCATION)) {
      case DieReader.K_BLOCK -> p.expr = r.block(Dw.AT_LOCATION);
      case DieReader.K_SECOFF -> p.listOffset = r.rawValue(Dw.AT_LOCATION);
      case DieReader.K_CONST -> {
        if (r.unit.version < 4) {
          p.listOffset = r.rawValue(Dw.AT_LOCATION);
        }
      }
      case DieReader.K_LOCLISTX -> p.listOffset = LocLists.offsetOfIndex(s, r.unit, r.rawValue(Dw.AT_LOCATION), r);
      default -> { }
    }
    return p;
  }

  private RawType type(DieReader r, int tag) throws CorruptBinaryException {
    RawType t = new RawType(r.offset, tag, r.unit);
    t.name = r.string(Dw.AT_NAME);
    t.size = r.constant(Dw.AT_BYTE_SIZE, -1);
    t.encoding = (int) r.constant(Dw.AT_ENCODING, 0);
    t.goKind = (int) r.constant(Dw.AT_GO_KIND, 0);
    t.type = r.ref(Dw.AT_TYPE);
    t.elem = r.ref(Dw.AT_GO_ELEM);
    t.key = r.ref(Dw.AT_GO_KEY);
    refs.add(t.type);
    refs.add(t.elem);
    refs.add(t.key);
    t.dictIndex = r.constant(Dw.AT_GO_DICT_INDEX, -1);
    if (t.goKind != 0) {
      t.runtimeType = r.address(Dw.AT_GO_RUNTIME_TYPE);
    }
    types.put(t.offset, t);
    return t;
  }

  /** DW_OP_plus_uconst n, the DWARF 2 way of giving a member's offset. */
  private static long memberOffsetExpr(byte[] e) {
    if (e == null || e.length < 2 || (e[0] & 0xff) != Dw.OP_PLUS_UCONST) {
      return -1;
    }
    long v = 0;
    for (int i = 1, shift = 0; i < e.length && shift < 63; i++, shift += 7) {
      v |= (long) (e[i] & 0x7f) << shift;
      if ((e[i] & 0x80) == 0) {
        return v;
      }
    }
    return -1;
  }

  static boolean isType(int tag) {
    return switch (tag) {
      // array, class, enumeration, pointer, reference, string, structure, subroutine, typedef,
      // union, set, ptr_to_member, base, const, file, packed, restrict, shared, volatile,
      // unspecified, interface, rvalue_reference, atomic, immutable, dynamic, coarray
      case 0x01, 0x02, 0x04, 0x0f, 0x10, 0x12, 0x13, 0x15, 0x16, 0x17, 0x20, 0x1f, 0x24, 0x26,
          0x29, 0x2d, 0x37, 0x40, 0x35, 0x3b, 0x38, 0x42, 0x47, 0x4b, 0x44, 0x46 -> true;
      default -> false;
    };
  }
}
