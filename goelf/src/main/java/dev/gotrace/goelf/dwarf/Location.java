package dev.gotrace.goelf.dwarf;

import java.util.List;
import java.util.Optional;

/**
 * Where a variable lives (DW_AT_location, DWARF 5 section 2.6): one expression valid over the
 * whole function, or a list of address ranges each with its own expression. Go before 1.17
 * uses single expressions relative to the CFA; Go 1.17+ with the register ABI often uses lists
 * whose first range starts at the function's entry.
 */
public sealed interface Location {
  /** The expression in effect at {@code pc}, if any. */
  Optional<byte[]> exprAt(long pc);

  /**
   * The decoded place at {@code pc}; empty when the variable has no location there (no range
   * covers pc, or the expression is empty, which Go emits for results).
   */
  default Optional<Place> placeAt(long pc) {
    return exprAt(pc).filter(e -> e.length > 0).map(Place::decode);
  }

  /** One DWARF expression valid wherever the variable is in scope. */
  record Expr(byte[] expr) implements Location {
    public Expr {
      expr = expr.clone();
    }

    @Override
    public byte[] expr() {
      return expr.clone();
    }

    @Override
    public Optional<byte[]> exprAt(long pc) {
      return Optional.of(expr.clone());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Expr e && java.util.Arrays.equals(e.expr, expr);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(expr);
    }

    @Override
    public String toString() {
      return "Expr" + java.util.HexFormat.of().formatHex(expr);
    }
  }

  /** A location list; each entry covers {@code [lowPc, highPc)}. */
  record LocList(List<Entry> entries) implements Location {
    public LocList {
      entries = List.copyOf(entries);
    }

    @Override
    public Optional<byte[]> exprAt(long pc) {
      for (Entry e : entries) {
        if (Long.compareUnsigned(pc, e.lowPc()) >= 0 && Long.compareUnsigned(pc, e.highPc()) < 0) {
          return Optional.of(e.expr());
        }
      }
      return Optional.empty();
    }
  }

  /** One range of a location list, with absolute addresses. */
  record Entry(long lowPc, long highPc, byte[] expr) {
    public Entry {
      expr = expr.clone();
    }

    @Override
    public byte[] expr() {
      return expr.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.lowPc == lowPc && e.highPc == highPc
          && java.util.Arrays.equals(e.expr, expr);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(lowPc) * 31 + java.util.Arrays.hashCode(expr);
    }

    @Override
    public String toString() {
      return "[0x" + Long.toHexString(lowPc) + ", 0x" + Long.toHexString(highPc) + ") "
          + java.util.HexFormat.of().formatHex(expr);
    }
  }
}
