package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the package-level variables of one compile unit: the DW_TAG_variable DIEs that are
 * children of the unit's root DIE (cmd/link/internal/ld/dwarf.go writes each global there with
 * DW_AT_name, DW_AT_location {@code DW_OP_addr a} and DW_AT_type). Locals, which are
 * DW_TAG_variable too, are deeper and skipped. A pass of its own over the unit's DIEs, apart
 * from {@link Indexer}: types are resolved later through the {@link GoDwarf} view.
 */
final class PackageVariables {
  private static final int TAG_VARIABLE = 0x34;
  private static final int OP_ADDR = 0x03;

  /** A variable before its type is resolved. */
  record Raw(String name, OptionalLong address, long type, long die) {}

  private PackageVariables() {}

  static List<Raw> of(DwarfSections s, Unit u) throws CorruptBinaryException {
    DieReader r = new DieReader(s, s.info(), u);
    List<Raw> out = new ArrayList<>();
    int depth = 0;
    while (!r.atEnd()) {
      if (!r.next()) {
        if (depth > 0) {
          depth--;
        }
        continue;
      }
      if (depth == 1 && r.tag() == TAG_VARIABLE) {
        String name = r.string(Dw.AT_NAME);
        if (name != null) {
          out.add(new Raw(name, address(r), r.ref(Dw.AT_TYPE), r.offset));
        }
      }
      if (r.abbrev.children()) {
        if (depth >= Indexer.MAX_DEPTH) {
          throw r.corrupt("DIEs nested deeper than " + Indexer.MAX_DEPTH);
        }
        depth++;
      }
    }
    return out;
  }

  /** The address of a location that is exactly {@code DW_OP_addr a}, else empty. */
  private static OptionalLong address(DieReader r) throws CorruptBinaryException {
    if (r.kindOf(Dw.AT_LOCATION) != DieReader.K_BLOCK) {
      return OptionalLong.empty();
    }
    byte[] e = r.block(Dw.AT_LOCATION);
    int size = r.unit.addrSize;
    if (e == null || e.length != 1 + size || (e[0] & 0xff) != OP_ADDR) {
      return OptionalLong.empty();
    }
    long a = 0;
    for (int i = size; i >= 1; i--) {
      a = a << 8 | (e[i] & 0xff);
    }
    return OptionalLong.of(a);
  }
}
