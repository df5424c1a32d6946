package dev.gotrace.probes.btf;

/** BTF kinds (info bits 24–28) and how many bytes of data follow each 12-byte type record. */
enum BtfKind {
  UNKNOWN(0), INT(1), PTR(2), ARRAY(3), STRUCT(4), UNION(5), ENUM(6), FWD(7), TYPEDEF(8),
  VOLATILE(9), CONST(10), RESTRICT(11), FUNC(12), FUNC_PROTO(13), VAR(14), DATASEC(15),
  FLOAT(16), DECL_TAG(17), TYPE_TAG(18), ENUM64(19);

  final int id;

  BtfKind(int id) {
    this.id = id;
  }

  static BtfKind of(int id) {
    BtfKind[] all = values();
    if (id < 0 || id >= all.length) {
      return null;
    }
    return all[id];
  }

  /** Bytes after the common 12-byte header for a type with {@code vlen} entries. */
  int extra(int vlen) {
    return switch (this) {
      case INT, VAR, DECL_TAG -> 4;
      case ARRAY -> 12;
      case STRUCT, UNION, DATASEC, ENUM64 -> 12 * vlen;
      case ENUM, FUNC_PROTO -> 8 * vlen;
      default -> 0;
    };
  }

  /** Kinds that only qualify or rename another type. */
  boolean isModifier() {
    return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT
        || this == TYPE_TAG;
  }
}
