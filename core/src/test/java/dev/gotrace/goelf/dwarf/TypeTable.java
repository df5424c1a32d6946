package dev.gotrace.goelf.dwarf;

import java.util.HashMap;
import java.util.Map;

/** Synthetic DWARF types for tests: references into a table the test fills, so that types may refer to themselves. */
public final class TypeTable {
  private final Map<Long, GoType> table = new HashMap<>();
  private long next = 1;

  /** A reference to the type {@code put} will give id {@code id}. */
  public TypeRef ref(long id) {
    return new TypeRef(id, table);
  }

  /** Adds {@code t} under a new id, returning its reference. */
  public TypeRef add(GoType t) {
    long id = next++;
    table.put(id, t);
    return ref(id);
  }

  /** Sets the type of {@code id} (reserved with {@link #reserve()}). */
  public void put(long id, GoType t) {
    table.put(id, t);
  }

  /** A fresh id, for a type that refers to itself. */
  public long reserve() {
    return next++;
  }
}
