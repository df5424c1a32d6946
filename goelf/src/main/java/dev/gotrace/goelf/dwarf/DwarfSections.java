package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The DWARF sections of one binary as bounds-checked cursors. Only {@code .debug_info} and
 * {@code .debug_abbrev} are required, and read up front; each other section is fetched (for a
 * compressed one: decompressed) the first time a DIE needs it, so that a question the location
 * lists or line tables play no part in never inflates them (for cmd/go, 8 MB of
 * {@code .debug_loc} and 2 MB of {@code .debug_line}). Each cursor's region name
 * (".debug_info", ...) appears in error messages. Thread-safe.
 */
public final class DwarfSections {
  /** A section that could not be fetched: thrown by an accessor, turned back into its cause by {@link DwarfUnits}. */
  public static final class Unreadable extends RuntimeException {
    private final CorruptBinaryException cause;

    public Unreadable(CorruptBinaryException cause) {
      super(cause.getMessage(), cause);
      this.cause = cause;
    }

    public CorruptBinaryException corrupt() {
      return cause;
    }
  }

  private final ByteCursor info;
  private final ByteCursor abbrev;
  private final Function<String, Optional<ByteCursor>> byName;
  /** Guarded by {@code this}. */
  private final Map<String, Optional<ByteCursor>> fetched = new HashMap<>();

  private DwarfSections(ByteCursor info, ByteCursor abbrev, Function<String, Optional<ByteCursor>> byName) {
    this.info = Objects.requireNonNull(info, "info");
    this.abbrev = Objects.requireNonNull(abbrev, "abbrev");
    this.byName = byName;
  }

  /**
   * Sections by their ELF names (".debug_info", ...); names it maps to empty are absent.
   * {@code byName} is asked for each optional section at most once, when first needed; it may
   * throw {@link Unreadable}.
   */
  public static DwarfSections of(Function<String, Optional<ByteCursor>> byName)
      throws CorruptBinaryException {
    Optional<ByteCursor> info = byName.apply(".debug_info");
    Optional<ByteCursor> abbrev = byName.apply(".debug_abbrev");
    if (info.isEmpty() || abbrev.isEmpty()) {
      throw new CorruptBinaryException(null,
          info.isEmpty() ? ".debug_info" : ".debug_abbrev", 0,
          "section missing: DWARF needs both .debug_info and .debug_abbrev");
    }
    return new DwarfSections(info.get(), abbrev.get(), byName);
  }

  private synchronized Optional<ByteCursor> get(String name) {
    Optional<ByteCursor> s = fetched.get(name);
    if (s == null) {
      s = Objects.requireNonNull(byName.apply(name), name);
      fetched.put(name, s);
    }
    return s;
  }

  /** {@code .debug_info}. */
  public ByteCursor info() {
    return info;
  }

  /** {@code .debug_abbrev}. */
  public ByteCursor abbrev() {
    return abbrev;
  }

  /** {@code .debug_str} (DW_FORM_strp, strx*). */
  public Optional<ByteCursor> str() {
    return get(".debug_str");
  }

  /** {@code .debug_line_str} (DWARF 5 DW_FORM_line_strp). */
  public Optional<ByteCursor> lineStr() {
    return get(".debug_line_str");
  }

  /** {@code .debug_str_offsets} (DWARF 5 strx* forms). */
  public Optional<ByteCursor> strOffsets() {
    return get(".debug_str_offsets");
  }

  /** {@code .debug_addr} (DWARF 5 addrx* forms, DW_LLE_*x entries). */
  public Optional<ByteCursor> addr() {
    return get(".debug_addr");
  }

  /** {@code .debug_rnglists} (DWARF 5). */
  public Optional<ByteCursor> rnglists() {
    return get(".debug_rnglists");
  }

  /** {@code .debug_ranges} (DWARF 2-4). */
  public Optional<ByteCursor> ranges() {
    return get(".debug_ranges");
  }

  /** {@code .debug_loclists} (DWARF 5). */
  public Optional<ByteCursor> loclists() {
    return get(".debug_loclists");
  }

  /** {@code .debug_loc} (DWARF 2-4). */
  public Optional<ByteCursor> loc() {
    return get(".debug_loc");
  }

  /** {@code .debug_line}, kept for callers; this package does not decode it. */
  public Optional<ByteCursor> line() {
    return get(".debug_line");
  }
}
