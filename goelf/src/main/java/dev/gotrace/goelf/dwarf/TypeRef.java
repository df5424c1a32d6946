package dev.gotrace.goelf.dwarf;

import java.util.Map;

/**
 * A reference from one type to another, by the referenced DIE's offset in {@code .debug_info}.
 * Types refer to each other through these so that cyclic types (a linked-list node pointing to
 * itself) form a finite graph. Every reference handed out has been checked to resolve, so
 * {@link #get()} never fails; equality is by offset within one {@link GoDwarf}.
 */
public final class TypeRef {
  private final long offset;
  private final Map<Long, GoType> table;

  TypeRef(long offset, Map<Long, GoType> table) {
    this.offset = offset;
    this.table = table;
  }

  /** The referenced DIE's offset in .debug_info. */
  public long offset() {
    return offset;
  }

  /** The referenced type. */
  public GoType get() {
    return table.get(offset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TypeRef r && r.offset == offset && r.table == table;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset);
  }

  @Override
  public String toString() {
    GoType t = table.get(offset);
    return t == null ? "<0x" + Long.toHexString(offset) + ">" : t.name();
  }
}
