package dev.gotrace.goelf.dwarf;

import java.util.OptionalLong;

/**
 * A package-level variable as the Go linker describes it: a DW_TAG_variable child of its
 * package's compile unit, named as Go spells it ({@code main.requests}, {@code net/http.DefaultClient}).
 *
 * @param name the full name, package path first
 * @param address its link-time address, from DW_AT_location's {@code DW_OP_addr}; empty when
 *     the DIE has no such location (the symbol table may still give one)
 * @param type its DWARF type
 * @param die the DIE's offset in .debug_info, for messages
 */
public record PackageVariable(String name, OptionalLong address, GoType type, long die) {
  /** The package path: everything before the last '.' that follows the last '/'. */
  public String packagePath() {
    int slash = name.lastIndexOf('/');
    int dot = name.indexOf('.', slash + 1);
    return dot < 0 ? "" : name.substring(0, dot);
  }

  /** The name within its package ("requests"). */
  public String shortName() {
    int slash = name.lastIndexOf('/');
    int dot = name.indexOf('.', slash + 1);
    return dot < 0 ? name : name.substring(dot + 1);
  }
}
