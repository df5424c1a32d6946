package dev.gotrace.goelf.dwarf;

import java.util.List;

/**
 * A function with code (DW_TAG_subprogram with DW_AT_low_pc, or DW_AT_ranges whose lowest
 * range is taken as the entry; functions the linker discarded, at address 0, are left out),
 * named as Go names it:
 * "main.(*Counter).Inc", "main.main.func1", "main.Map[go.shape.int]". Inlined-only functions
 * (abstract DIEs without code) are not listed; their concrete copies take name and parameters
 * from DW_AT_abstract_origin.
 *
 * @param highPc one past the last byte of the function
 * @param dieOffset the DIE's offset in .debug_info
 */
public record Subprogram(String name, long lowPc, long highPc, List<Param> params, long dieOffset) {
  public Subprogram {
    params = List.copyOf(params);
  }

  /** The parameters that are inputs, in order. */
  public List<Param> inputs() {
    return params.stream().filter(p -> !p.result()).toList();
  }

  /** The results (DW_AT_variable_parameter set), in order. */
  public List<Param> results() {
    return params.stream().filter(Param::result).toList();
  }
}
