package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawInlined;
import dev.gotrace.goelf.dwarf.Indexer.RawParam;
import dev.gotrace.goelf.dwarf.Indexer.RawSub;
import dev.gotrace.goelf.pclntab.PcRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inlined copies of a binary's functions by name. Names and address ranges are indexed with
 * the rest of the DWARF; parameters, whose location lists are most of the cost, are read for a
 * function only when its copies are first asked for. A copy whose parameters turn out to be
 * malformed is left out, as if DWARF did not describe it.
 */
final class InlinedIndex {
  /** Reads one parameter DIE, following its abstract origin. */
  interface Params {
    Param read(RawParam p) throws CorruptBinaryException;
  }

  private record Pending(String name, List<PcRange> ranges, RawSub origin, List<RawParam> params, long offset) {}

  private final Map<String, List<Pending>> pending = new HashMap<>();
  private final Params params;
  /** Guarded by {@code this}. */
  private final Map<String, List<InlinedSubroutine>> resolved = new HashMap<>();

  /** {@code inlined}: the copies in DIE order. */
  InlinedIndex(Indexer ix, List<RawInlined> inlined, Params params) {
    this.params = params;
    for (RawInlined in : inlined) {
      RawSub origin = in.origin == -1 ? null : ix.subs.get(in.origin);
      String name = origin == null ? null : GoDwarf.originName(ix, origin);
      List<PcRange> ranges = new ArrayList<>(in.ranges.size());
      for (long[] r : in.ranges) {
        // 0: code the linker discarded; empty ranges hold no instruction.
        if (r[0] != 0 && Long.compareUnsigned(r[0], r[1]) < 0) {
          ranges.add(new PcRange(r[0], r[1]));
        }
      }
      if (name == null || ranges.isEmpty()) {
        continue;
      }
      ranges.sort(Comparator.comparingLong(PcRange::start));
      pending.computeIfAbsent(name, k -> new ArrayList<>()).add(new Pending(name, ranges, origin, in.params, in.offset));
    }
  }

  /** The names of the functions with inlined copies (tests). */
  java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(pending.keySet());
  }

  synchronized List<InlinedSubroutine> copies(String name) {
    List<InlinedSubroutine> done = resolved.get(name);
    if (done == null) {
      List<InlinedSubroutine> out = new ArrayList<>();
      for (Pending p : pending.getOrDefault(name, List.of())) {
        try {
          out.add(new InlinedSubroutine(p.name(), p.ranges(), parameters(p), p.offset()));
        } catch (CorruptBinaryException | RuntimeException e) {
          // Left out: its arguments will be shown as unavailable.
        }
      }
      done = List.copyOf(out);
      resolved.put(name, done);
    }
    return done;
  }

  /**
   * Every parameter of the abstract origin, in its order, each from the copy's own DIE for it
   * where there is one (with its location in the copy; the compiler writes none for a folded
   * constant), then any the copy names that the origin does not list.
   */
  private List<Param> parameters(Pending p) throws CorruptBinaryException {
    Map<Long, RawParam> concrete = new HashMap<>();
    for (RawParam c : p.params()) {
      concrete.putIfAbsent(c.origin, c);
    }
    List<Param> out = new ArrayList<>(p.origin().params.size());
    for (RawParam ap : p.origin().params) {
      RawParam c = concrete.remove(ap.offset);
      out.add(params.read(c != null ? c : ap));
    }
    for (RawParam c : p.params()) {
      if (concrete.containsKey(c.origin)) {
        out.add(params.read(c));
      }
    }
    return out;
  }
}
