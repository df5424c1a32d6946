package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.pclntab.PcRange;
import java.util.List;

/**
 * A copy of a function's body inlined into another function (DW_TAG_inlined_subroutine), with the
 * locations its parameters have inside that copy. Names and types come from the abstract
 * origin; a parameter the compiler gave no location there (a constant, or optimized out) has an
 * empty location.
 *
 * @param name the inlined function, e.g. "main.add"
 * @param ranges the addresses of the copy, sorted (calls inlined further into it included)
 * @param params the parameters DWARF lists for this copy, in declaration order
 * @param dieOffset the DIE's offset in .debug_info
 */
public record InlinedSubroutine(String name, List<PcRange> ranges, List<Param> params, long dieOffset) {
  public InlinedSubroutine {
    ranges = List.copyOf(ranges);
    params = List.copyOf(params);
  }

  public boolean contains(long pc) {
    return ranges.stream().anyMatch(r -> r.contains(pc));
  }

  /** The number of bytes of code in the copy: smaller is more deeply nested. */
  public long size() {
    return ranges.stream().mapToLong(r -> r.end() - r.start()).sum();
  }

  /** The inputs among {@link #params()}, in order. */
  public List<Param> inputs() {
    return params.stream().filter(p -> !p.result()).toList();
  }
}
