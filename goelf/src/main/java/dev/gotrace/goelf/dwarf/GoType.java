package dev.gotrace.goelf.dwarf;

import java.util.List;
import java.util.Optional;

/**
 * A Go type as the Go linker describes it in DWARF ({@code cmd/link/internal/ld/dwarf.go}):
 * immutable, with references to other types through {@link TypeRef} so that cycles are finite.
 * {@link #goKind()} is {@code DW_AT_go_kind} (reflect.Kind numbering), 0 when absent (C types).
 */
public sealed interface GoType {
  /** The DWARF name, e.g. "int", "main.Point", "*main.Node", "[]uint8", "map[string]int". */
  String name();

  /** Size in bytes, -1 when DWARF gives none. */
  long size();

  /** reflect.Kind from DW_AT_go_kind; 0 when absent. */
  int goKind();

  /**
   * This type with typedefs removed. (The linker's duplicate typedef of each named type, such as
   * "main.Point" naming the struct "main.Point", is already replaced by its target; what remains
   * are typedefs such as generic shapes ".param0" and C typedefs.)
   */
  default GoType underlying() {
    GoType t = this;
    for (int i = 0; i < 64 && t instanceof Typedef d; i++) {
      t = d.target().get();
    }
    return t;
  }

  /** One field of a struct (DW_TAG_member). {@code embedded} is DW_AT_go_embedded_field. */
  record Field(String name, long offset, TypeRef type, boolean embedded) {}

  /**
   * A scalar: integers, floats, complex, bool, uintptr (DW_TAG_base_type). {@code encoding} is
   * DW_AT_encoding (DW_ATE_signed = 5, unsigned = 7, float = 4, boolean = 2, complex = 3).
   */
  record Base(String name, long size, int goKind, int encoding) implements GoType {}

  /** A pointer; {@code elem} is empty for unsafe.Pointer and C void*. */
  record Pointer(String name, long size, int goKind, Optional<TypeRef> elem) implements GoType {}

  /** A Go string: the linker's struct {str *uint8; len int}. */
  record GoString(String name, long size, int goKind, List<Field> fields) implements GoType {}

  /** A Go slice: struct {array *T; len, cap int}; {@code elem} is T (DW_AT_go_elem). */
  record Slice(String name, long size, int goKind, TypeRef elem, List<Field> fields) implements GoType {}

  /** A fixed-size array; {@code count} is -1 when DWARF gives no bound. */
  record Array(String name, long size, int goKind, TypeRef elem, long count) implements GoType {}

  /** A struct with its fields in declaration order. */
  record Struct(String name, long size, int goKind, List<Field> fields) implements GoType {}

  /**
   * An interface: DWARF describes it as a typedef of runtime.iface (methods) or runtime.eface
   * (empty interface, {@code empty == true}); both are two words.
   */
  record Interface(String name, long size, int goKind, boolean empty, Optional<TypeRef> layout)
      implements GoType {}

  /** A map: key and element types (DW_AT_go_key, DW_AT_go_elem); the value is one pointer. */
  record GoMap(String name, long size, int goKind, TypeRef key, TypeRef elem, Optional<TypeRef> layout)
      implements GoType {}

  /** A channel of {@code elem}; the value is one pointer to runtime.hchan. */
  record Chan(String name, long size, int goKind, TypeRef elem, Optional<TypeRef> layout)
      implements GoType {}

  /**
   * A func value (one pointer to a closure) with the types of its inputs followed by its
   * results; DWARF does not mark which are results (the name, "func(int) int", does).
   */
  record Func(String name, long size, int goKind, List<TypeRef> params) implements GoType {}

  /**
   * A named alias of another type (DW_TAG_typedef) that is none of the above, such as a
   * generic shape; {@code dictIndex} is DW_AT_go_dict_index or -1.
   */
  record Typedef(String name, long size, int goKind, TypeRef target, long dictIndex) implements GoType {}

  /** Any other DIE used as a type (C enums, unions, qualifiers, void), kept by tag. */
  record Other(String name, long size, int goKind, int tag, Optional<TypeRef> target) implements GoType {}
}
