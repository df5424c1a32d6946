package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawParam;
import dev.gotrace.goelf.dwarf.LocalDies.RawLocal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local variables of each function and inlined copy, read (with their location lists) for
 * one owner only when it is first asked about. A variable whose DIE is malformed is left out, as
 * if DWARF did not describe it.
 */
final class LocalsIndex {
  static final LocalsIndex EMPTY = new LocalsIndex(Map.of(), p -> {
    throw new IllegalStateException("no locals");
  });

  /** One resolved variable and the ranges of its innermost lexical block (empty: everywhere). */
  private record Local(Param variable, List<long[]> scope, int depth) {
    boolean inScope(long pc) {
      if (scope.isEmpty()) {
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

  private final Map<Long, List<RawLocal>> raw;
  private final InlinedIndex.Params params;
  /** Guarded by {@code this}. */
  private final Map<Long, List<Local>> resolved = new HashMap<>();

  LocalsIndex(Map<Long, List<RawLocal>> raw, InlinedIndex.Params params) {
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
      for (RawLocal l : raw.getOrDefault(owner, List.of())) {
        RawParam p = l.variable();
        try {
          Param v = params.read(p);
          if (!v.name().isEmpty()) {
            out.add(new Local(v, l.scope() == null ? List.of() : l.scope(), depth(l)));
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

  /** How deep the innermost block is, from its size: a smaller block is nested deeper; 0 outside any. */
  private static int depth(RawLocal l) {
    if (l.scope() == null) {
      return 0;
    }
    long size = 0;
    for (long[] r : l.scope()) {
      size += r[1] - r[0];
    }
    return Integer.MAX_VALUE - (int) Math.min(size, Integer.MAX_VALUE - 1);
  }
}
