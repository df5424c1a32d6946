package dev.gotrace.goelf.dwarf;

import java.util.Optional;

/**
 * A formal parameter of a function (DW_TAG_formal_parameter), in declaration order. Go marks
 * results with DW_AT_variable_parameter = 1 ({@code result}); unnamed results are "~r0" (Go
 * 1.18+) or "~rN" counting all parameters (before 1.18).
 */
public record Param(String name, GoType type, boolean result, Optional<Location> location) {
  /** Where the parameter is at {@code pc} (the function's entry for arguments). */
  public Optional<Place> placeAt(long pc) {
    return location.flatMap(l -> l.placeAt(pc));
  }
}
