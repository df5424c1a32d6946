package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.LocalDies.RawBlock;
import dev.gotrace.goelf.dwarf.LocalDies.RawLocal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local variables of each function and inlined copy, their DIEs read (with their location
 * lists and the ranges of their blocks) for one owner only when it is first asked about. A
 * variable whose DIE is malformed is left out, as if DWARF did not describe it.
 */
final class LocalsIndex {
  static final LocalsIndex EMPTY = new LocalsIndex(null, Map.of(), p -> {
    throw new IllegalStateException("no locals");
  });

  /** One resolved variable and the ranges of its innermost lexical block (null: everywhere). */
  private record Local(Param variable, List<long[]> scope, int depth) {
    boolean inScope(long pc) {
      if (scope == null) {
        return true;
      }
      for (long[] r : scope) {
        if (Long.compareUnsigned(pc, r[0]) >= 0 && Long.compareUnsigned(pc, r[1]) < 0) {
          return true;
        }
      }
      return false;
    }
  }

  private final DwarfSections sections;
  private final Map<Long, List<RawLocal>> raw;
  private final InlinedIndex.Params params;
  /** Guarded by {@code this}. */
  private final Map<Long, List<Local>> resolved = new HashMap<>();

  LocalsIndex(DwarfSections sections, Map<Long, List<RawLocal>> raw, InlinedIndex.Params params) {
    this.sections = sections;
    this.raw = raw;
    this.params = params;
  }

  /**
   * The variables of the function or copy whose DIE is at {@code owner} whose block contains
   * {@code pc}, in DIE order; of two with one name, the one of the innermost block (Go's shadowing).
   */
  List<Param> at(long owner, long pc) {
    Map<String, Local> byName = new LinkedHashMap<>();
    for (Local l : resolve(owner)) {
      if (!l.inScope(pc)) {
        continue;
      }
      Local seen = byName.get(l.variable().name());
      if (seen == null || l.depth() >= seen.depth()) {
        byName.put(l.variable().name(), l);
      }
    }
    return byName.values().stream().map(Local::variable).toList();
  }

  private synchronized List<Local> resolve(long owner) {
    List<Local> done = resolved.get(owner);
    if (done == null) {
      List<Local> out = new ArrayList<>();
      Map<Long, List<long[]>> blocks = new HashMap<>();
      for (RawLocal l : raw.getOrDefault(owner, List.of())) {
        try {
          DieReader r = new DieReader(sections, sections.info(), l.unit()).at(l.offset());
          r.next();
          Param v = params.read(Indexer.readParam(sections, r));
          List<long[]> scope = l.block() == null ? null : ranges(l.block(), blocks);
          if (!v.name().isEmpty()) {
            out.add(new Local(v, scope, depth(l.block())));
          }
        } catch (CorruptBinaryException | RuntimeException e) {
          // Left out: the line's values will not name it.
        }
      }
      done = List.copyOf(out);
      resolved.put(owner, done);
    }
    return done;
  }

  /** The ranges of {@code b}: its own (DW_AT_low_pc/high_pc or DW_AT_ranges), else its parent's. */
  private List<long[]> ranges(RawBlock b, Map<Long, List<long[]>> cache) throws CorruptBinaryException {
    List<long[]> known = cache.get(b.offset());
    if (known != null) {
      return known;
    }
    DieReader r = new DieReader(sections, sections.info(), b.unit()).at(b.offset());
    r.next();
    long low = r.address(Dw.AT_LOW_PC);
    List<long[]> out = low != -1 ? List.of(new long[] {low, Indexer.highPc(r, low)})
        : r.has(Dw.AT_RANGES) ? Ranges.of(sections, r)
        : b.parent() == null ? null : ranges(b.parent(), cache);
    cache.put(b.offset(), out);
    return out;
  }

  /** How deeply {@code b} is nested: 0 outside any block. */
  private static int depth(RawBlock b) {
    int d = 0;
    for (RawBlock x = b; x != null && d < Indexer.MAX_DEPTH; x = x.parent()) {
      d++;
    }
    return d;
  }
}
