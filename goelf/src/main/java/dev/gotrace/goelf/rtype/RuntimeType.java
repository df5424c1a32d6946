package dev.gotrace.goelf.rtype;

import java.util.List;
import java.util.Optional;

/**
 * A runtime type descriptor as read from the binary: the common {@code abi.Type} header and, for
 * struct types, the fields.
 *
 * @param address link-time address of the descriptor
 * @param name the type's string, e.g. {@code runtime.g} (the extra '*' already dropped)
 * @param size {@code Size_}
 * @param kind {@code Kind_ & 0x1f}
 * @param fields struct fields in declaration order; empty for other kinds
 */
public record RuntimeType(long address, String name, long size, int kind, List<Field> fields) {
  /**
   * One {@code abi.StructField}.
   *
   * @param name field name
   * @param type address of the field type's descriptor
   * @param offset byte offset in the struct
   */
  public record Field(String name, long type, long offset) {}

  public boolean isStruct() {
    return kind == TypeFormat.KIND_STRUCT;
  }

  /** The first field named {@code name}. */
  public Optional<Field> field(String fieldName) {
    return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
  }
}
