package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the raw type DIEs into {@link GoType} values, following the shapes the Go linker emits
 * (cmd/link/internal/ld/dwarf.go: strings and slices as structs with DW_AT_go_kind, interfaces,
 * maps and channels as typedefs with DW_AT_go_elem/DW_AT_go_key). Every reference is checked
 * to land on a type DIE first, so the resulting graph is complete and cycles are harmless.
 */
final class TypeBuilder {
  private static final int MAX_TYPEDEF_CHAIN = 64;

  private final Map<Long, RawType> raw;
  private final Map<Long, GoType> table = new LinkedHashMap<>();
  private final Map<Long, GoType> view = Collections.unmodifiableMap(table);
  private final DwarfSections s;

  TypeBuilder(DwarfSections s, Map<Long, RawType> raw) {
    this.s = s;
    this.raw = raw;
  }

  Map<Long, GoType> build() throws CorruptBinaryException {
    for (RawType t : raw.values()) {
      table.put(t.offset, make(t));
    }
    for (RawType t : raw.values()) {
      RawType target = aliasTarget(t);
      if (target != null) {
        table.put(t.offset, table.get(target.offset));
      }
    }
    return view;
  }

  /**
   * For every named type the linker also writes a plain typedef of the same name pointing at
   * the type's real DIE (cmd/link/internal/ld/dwarf.go), and parameters and fields refer to the
   * typedef. Such a typedef stands for its target; returns that target, or null.
   */
  private RawType aliasTarget(RawType t) {
    RawType cur = t;
    for (int i = 0; i < MAX_TYPEDEF_CHAIN; i++) {
      if (!isAlias(cur)) {
        return cur == t ? null : cur;
      }
      cur = raw.get(cur.type);
    }
    return null;
  }

  private boolean isAlias(RawType t) {
    if (t.tag != Dw.TAG_TYPEDEF || t.goKind != 0 || t.dictIndex != -1 || t.name == null || t.type == -1) {
      return false;
    }
    RawType target = raw.get(t.type);
    return target != null && target != t && t.name.equals(target.name);
  }

  /** A reference that resolves, or an error naming the DIE that holds it. */
  TypeRef ref(long target, long from) throws CorruptBinaryException {
    if (!raw.containsKey(target)) {
      throw s.info().corrupt(from, "type reference to 0x" + Long.toHexString(target) + " is not a type DIE");
    }
    return new TypeRef(target, view);
  }

  private Optional<TypeRef> optRef(long target, long from) throws CorruptBinaryException {
    return target == -1 ? Optional.empty() : Optional.of(ref(target, from));
  }

  private TypeRef required(long target, long from, String what) throws CorruptBinaryException {
    if (target == -1) {
      throw s.info().corrupt(from, what + " without its type");
    }
    return ref(target, from);
  }

  private GoType make(RawType t) throws CorruptBinaryException {
    String name = t.name == null ? "" : t.name;
    long size = sizeOf(t);
    int k = t.goKind;
    long at = t.offset;
    switch (t.tag) {
      case Dw.TAG_BASE_TYPE -> {
        return new GoType.Base(name, size, k, t.encoding);
      }
      case Dw.TAG_POINTER_TYPE -> {
        return new GoType.Pointer(name, size, k, optRef(t.type, at));
      }
      case Dw.TAG_STRUCTURE_TYPE -> {
        List<GoType.Field> fields = fields(t);
        if (k == Dw.KIND_STRING) {
          return new GoType.GoString(name, size, k, fields);
        }
        if (k == Dw.KIND_SLICE && t.elem != -1) {
          return new GoType.Slice(name, size, k, ref(t.elem, at), fields);
        }
        return new GoType.Struct(name, size, k, fields);
      }
      case Dw.TAG_ARRAY_TYPE -> {
        return new GoType.Array(name, size, k, required(t.type, at, "array"), t.count);
      }
      case Dw.TAG_SUBROUTINE_TYPE -> {
        List<TypeRef> ps = new ArrayList<>(t.params.size());
        for (long p : t.params) {
          ps.add(required(p, at, "function type parameter"));
        }
        return new GoType.Func(name, size, k, ps);
      }
      case Dw.TAG_TYPEDEF -> {
        Optional<TypeRef> target = optRef(t.type, at);
        if (k == Dw.KIND_INTERFACE) {
          RawType layout = t.type == -1 ? null : raw.get(t.type);
          boolean empty = layout != null && "runtime.eface".equals(layout.name);
          return new GoType.Interface(name, size, k, empty, target);
        }
        if (k == Dw.KIND_MAP && t.key != -1 && t.elem != -1) {
          return new GoType.GoMap(name, size, k, ref(t.key, at), ref(t.elem, at), target);
        }
        if (k == Dw.KIND_CHAN && t.elem != -1) {
          return new GoType.Chan(name, size, k, ref(t.elem, at), target);
        }
        if (target.isPresent()) {
          return new GoType.Typedef(name, size, k, target.get(), t.dictIndex);
        }
        return new GoType.Other(name, size, k, t.tag, Optional.empty());
      }
      default -> {
        return new GoType.Other(name, size, k, t.tag, optRef(t.type, at));
      }
    }
  }

  private List<GoType.Field> fields(RawType t) throws CorruptBinaryException {
    List<GoType.Field> out = new ArrayList<>(t.members.size());
    for (Indexer.RawMember m : t.members) {
      out.add(new GoType.Field(m.name() == null ? "" : m.name(), m.offset(),
          required(m.type(), m.at(), "member"), m.embedded()));
    }
    return List.copyOf(out);
  }

  /** DW_AT_byte_size, or the size of what a typedef (chain) names; -1 when unknown. */
  private long sizeOf(RawType t) {
    RawType cur = t;
    for (int i = 0; i < MAX_TYPEDEF_CHAIN && cur != null; i++) {
      if (cur.size >= 0) {
        return cur.size;
      }
      if (cur.tag == Dw.TAG_POINTER_TYPE) {
        return cur.unit.addrSize;
      }
      if (cur.tag != Dw.TAG_TYPEDEF && cur.tag != 0x26 && cur.tag != 0x35) {
        return -1;
      }
      cur = cur.type == -1 ? null : raw.get(cur.type);
    }
    return -1;
  }
}
