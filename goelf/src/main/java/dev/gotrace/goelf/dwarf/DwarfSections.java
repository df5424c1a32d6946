package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The DWARF sections of one binary, already decompressed, as bounds-checked cursors. Only
 * {@code .debug_info} and {@code .debug_abbrev} are required; the others are present when the
 * binary has them. Each cursor's region name (".debug_info", ...) appears in error messages.
 *
 * @param info {@code .debug_info}
 * @param abbrev {@code .debug_abbrev}
 * @param str {@code .debug_str} (DW_FORM_strp, strx*)
 * @param lineStr {@code .debug_line_str} (DWARF 5 DW_FORM_line_strp)
 * @param strOffsets {@code .debug_str_offsets} (DWARF 5 strx* forms)
 * @param addr {@code .debug_addr} (DWARF 5 addrx* forms, DW_LLE_*x entries)
 * @param rnglists {@code .debug_rnglists} (DWARF 5)
 * @param ranges {@code .debug_ranges} (DWARF 2-4)
 * @param loclists {@code .debug_loclists} (DWARF 5)
 * @param loc {@code .debug_loc} (DWARF 2-4)
 * @param line {@code .debug_line}, kept for callers; this package does not decode it
 */
public record DwarfSections(
    ByteCursor info,
    ByteCursor abbrev,
    Optional<ByteCursor> str,
    Optional<ByteCursor> lineStr,
    Optional<ByteCursor> strOffsets,
    Optional<ByteCursor> addr,
    Optional<ByteCursor> rnglists,
    Optional<ByteCursor> ranges,
    Optional<ByteCursor> loclists,
    Optional<ByteCursor> loc,
    Optional<ByteCursor> line) {

  public DwarfSections {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(abbrev, "abbrev");
    Objects.requireNonNull(str, "str");
    Objects.requireNonNull(lineStr, "lineStr");
    Objects.requireNonNull(strOffsets, "strOffsets");
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(rnglists, "rnglists");
    Objects.requireNonNull(ranges, "ranges");
    Objects.requireNonNull(loclists, "loclists");
    Objects.requireNonNull(loc, "loc");
    Objects.requireNonNull(line, "line");
  }

  /** Sections by their ELF names (".debug_info", ...); names not listed are absent. */
  public static DwarfSections of(Function<String, Optional<ByteCursor>> byName)
      throws CorruptBinaryException {
    Optional<ByteCursor> info = byName.apply(".debug_info");
    Optional<ByteCursor> abbrev = byName.apply(".debug_abbrev");
    if (info.isEmpty() || abbrev.isEmpty()) {
      throw new CorruptBinaryException(null,
          info.isEmpty() ? ".debug_info" : ".debug_abbrev", 0,
          "section missing: DWARF needs both .debug_info and .debug_abbrev");
    }
    return new DwarfSections(info.get(), abbrev.get(), byName.apply(".debug_str"),
        byName.apply(".debug_line_str"), byName.apply(".debug_str_offsets"),
        byName.apply(".debug_addr"), byName.apply(".debug_rnglists"),
        byName.apply(".debug_ranges"), byName.apply(".debug_loclists"),
        byName.apply(".debug_loc"), byName.apply(".debug_line"));
  }
}
