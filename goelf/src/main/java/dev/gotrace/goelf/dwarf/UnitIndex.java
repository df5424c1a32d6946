package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each unit of {@code .debug_info} is and what code it describes, read without decoding
 * the unit's DIEs: the unit headers (each gives the next one's offset), and of each unit only its
 * root DIE (DW_TAG_compile_unit): its name, which Go sets to the package path ("net/http"; the
 * linker's unit of every Go type is named "runtime"), and its code as DW_AT_low_pc/high_pc or
 * DW_AT_ranges. Go writes no {@code .debug_aranges}, so the root DIE is the index.
 */
final class UnitIndex {
  /** One unit, its name ("" when the root DIE has none) and its code ranges ({low, high}). */
  record Entry(Unit unit, String name, List<long[]> ranges) {}

  private record Span(long low, long high, Entry entry) {}

  private final List<Entry> units;
  /** Code ranges of every unit by start address. */
  private final List<Span> spans;
  private final Map<Integer, Integer> versions;
  /** The length of the longest span. */
  private final long longest;

  private UnitIndex(List<Entry> units, List<Span> spans, Map<Integer, Integer> versions) {
    this.units = List.copyOf(units);
    this.spans = List.copyOf(spans);
    this.longest = spans.stream().mapToLong(sp -> sp.high() - sp.low()).max().orElse(0);
    this.versions = Collections.unmodifiableMap(versions);
  }

  /** Reads every unit header and root DIE of {@code s}. */
  static UnitIndex read(DwarfSections s, int ptrSize) throws CorruptBinaryException {
    ByteCursor info = s.info().duplicate().seek(0);
    Map<Long, Abbrev.Table> tables = new HashMap<>();
    Map<Integer, Integer> versions = new TreeMap<>();
    List<Entry> units = new ArrayList<>();
    List<Span> spans = new ArrayList<>();
    while (info.hasRemaining()) {
      Unit u = Unit.read(info, ptrSize);
      u.abbrevs = Indexer.abbrevs(s, u, tables);
      versions.merge(u.version, 1, Integer::sum);
      Entry e = root(s, info, u);
      units.add(e);
      for (long[] r : e.ranges()) {
        if (Long.compareUnsigned(r[0], r[1]) < 0) {
          spans.add(new Span(r[0], r[1], e));
        }
      }
      info.seek(u.end);
    }
    spans.sort(Comparator.comparingLong(Span::low));
    return new UnitIndex(units, spans, versions);
  }

  private static Entry root(DwarfSections s, ByteCursor info, Unit u) throws CorruptBinaryException {
    DieReader r = new DieReader(s, info, u);
    while (!r.atEnd()) {
      if (!r.next()) {
        continue; // padding before the root DIE
      }
      Indexer.rootAttributes(r, u);
      String name = r.string(Dw.AT_NAME);
      List<long[]> ranges;
      long low = r.address(Dw.AT_LOW_PC);
      if (r.has(Dw.AT_RANGES)) {
        ranges = Ranges.of(s, r);
      } else if (low != -1 && r.has(Dw.AT_HIGH_PC)) {
        int hk = r.kindOf(Dw.AT_HIGH_PC);
        long high = hk == DieReader.K_CONST || hk == DieReader.K_SCONST ? low + r.rawValue(Dw.AT_HIGH_PC)
            : r.address(Dw.AT_HIGH_PC);
        ranges = List.<long[]>of(new long[] {low, high});
      } else {
        ranges = List.of();
      }
      return new Entry(u, name == null ? "" : name, ranges);
    }
    return new Entry(u, "", List.of());
  }

  /** Every unit in section order. */
  List<Entry> units() {
    return units;
  }

  /** DWARF version → number of units of that version. */
  Map<Integer, Integer> versions() {
    return versions;
  }

  /** The units whose root DIE gives the code at {@code pc}; empty when none does. */
  List<Entry> at(long pc) {
    int lo = 0;
    int hi = spans.size() - 1;
    int last = -1; // the last span starting at or before pc
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(spans.get(mid).low(), pc) <= 0) {
        last = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    List<Entry> out = new ArrayList<>(1);
    // Spans may nest or overlap (C code beside Go): every span that starts at most longest
    // bytes before pc may hold it.
    for (int i = last; i >= 0 && Long.compareUnsigned(pc - spans.get(i).low(), longest) <= 0; i--) {
      Span sp = spans.get(i);
      if (Long.compareUnsigned(pc, sp.high()) < 0 && !out.contains(sp.entry())) {
        out.add(sp.entry());
      }
    }
    return out;
  }

  /**
   * The units that may describe the code at {@code pc}: those whose root DIE claims it, or every
   * unit when none does (no Go binary of the test matrix has such code, DwarfUnitsTest; a C
   * unit without ranges could).
   */
  List<Entry> mayDescribe(long pc) {
    List<Entry> at = at(pc);
    return at.isEmpty() ? units : at;
  }

  /** The unit whose bytes hold .debug_info offset {@code offset}. */
  Optional<Entry> containing(long offset) {
    int lo = 0;
    int hi = units.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Unit u = units.get(mid).unit();
      if (offset < u.offset) {
        hi = mid - 1;
      } else if (offset >= u.end) {
        lo = mid + 1;
      } else {
        return Optional.of(units.get(mid));
      }
    }
    return Optional.empty();
  }
}
