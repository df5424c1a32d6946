package dev.gotrace.core.abi;

import dev.gotrace.goelf.dwarf.GoType;
import java.util.List;

/**
 * One parameter or result and where its bytes are.
 *
 * @param name the Go name ("~r0" for an unnamed result)
 * @param type its DWARF type
 * @param result whether it is a result
 * @param size the size of its value in bytes
 * @param pieces where each range of the value's bytes is; ranges not covered (padding) are zero
 */
public record ParamLayout(String name, GoType type, boolean result, long size, List<Piece> pieces) {
  public ParamLayout {
    pieces = List.copyOf(pieces);
  }

  /**
   * Whether it is known where the value is: false for a parameter without a location at the
   * probe (see {@link DwarfPlaces}); its bytes are then not read.
   */
  public boolean located() {
    return size == 0 || !pieces.isEmpty();
  }

  /** Whether some bytes are in floating-point registers, which a uprobe cannot read. */
  public boolean inFloatRegister() {
    return pieces.stream().anyMatch(p -> p.where() instanceof ArgLocation.FloatRegister);
  }

  /** "rax+rbx", "8(SP)", for listings and tests. */
  public String describe() {
    if (pieces.isEmpty()) {
      return size == 0 ? "-" : "unlocated";
    }
    return String.join("+", pieces.stream().map(p -> p.where().toString()).toList());
  }
}
