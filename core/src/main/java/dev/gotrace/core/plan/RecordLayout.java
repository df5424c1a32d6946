package dev.gotrace.core.plan;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.goelf.dwarf.GoType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bytes an args probe writes after its fixed header: the in-memory image of each parameter,
 * then one buffer per string or slice found in them (directly or in struct fields), each an
 * 8-byte status word (what {@code bpf_probe_read_user} returned) followed by the bytes read.
 *
 * @param size the whole record's size in bytes, header included
 * @param values one per parameter, in order
 * @param buffers the pointed-to data copied
 * @param shown how many of the last {@code values} are {@code --show} values (package variables),
 *     not parameters
 */
public record RecordLayout(int size, List<Value> values, List<Buffer> buffers, int shown) {
  /** Size of the fixed header (see {@code codegen.ArgsRecord}). */
  public static final int HEADER = 64;
  /** A parameter larger than this is not copied. */
  public static final int MAX_IMAGE = 256;
  /** At most this many strings and slices are copied per record. */
  public static final int MAX_BUFFERS = 8;
  /** Elements copied from a slice of integers. */
  public static final int MAX_INT_ELEMS = 16;
  /** Elements copied from a []string. */
  public static final int MAX_STRING_ELEMS = 4;

  public RecordLayout {
    values = List.copyOf(values);
    buffers = List.copyOf(buffers);
    if (shown < 0 || shown > values.size()) {
      throw new IllegalArgumentException(shown + " shown of " + values.size() + " values");
    }
  }

  public RecordLayout(int size, List<Value> values, List<Buffer> buffers) {
    this(size, values, buffers, 0);
  }

  /**
   * This layout with {@code shown} values appended after everything it holds (their strings
   * copied up to {@code strsize} bytes, within the buffer cap).
   */
  public RecordLayout withShown(List<ParamLayout> more, int strsize) {
    if (more.isEmpty()) {
      return this;
    }
    int at = size;
    List<Value> vs = new ArrayList<>(values);
    List<Value> added = new ArrayList<>();
    for (ParamLayout p : more) {
      boolean copy = p.size() <= MAX_IMAGE;
      Value v = new Value(p, at, copy);
      vs.add(v);
      added.add(v);
      if (copy) {
        at += (int) ((p.size() + 7) / 8 * 8);
      }
    }
    Alloc a = new Alloc(at, strsize, false);
    a.buffers.addAll(buffers);
    for (Value v : added) {
      if (v.copied() && v.param().located()) {
        a.walk(v.param().type(), v.offset(), 0);
      }
    }
    return new RecordLayout(a.at, vs, a.buffers, shown + more.size());
  }

  /** The values that are parameters (or results). */
  public List<Value> params() {
    return values.subList(0, values.size() - shown);
  }

  /**
   * The image of a parameter at {@code offset} of the record; {@code copied} is false when the
   * value is larger than {@link #MAX_IMAGE}.
   */
  public record Value(ParamLayout param, int offset, boolean copied) {}

  /**
   * Pointed-to data: the pointer is the u64 at {@code ptrOffset}, the length (in elements) the
   * u64 at {@code lenOffset}, or exactly {@code maxElems} when {@code lenOffset} is negative (a
   * fixed-size pointee); up to {@code maxElems} elements of {@code elemSize} bytes are copied to
   * {@code offset + 8}, and the helper's return value stored at {@code offset}.
   */
  public record Buffer(int ptrOffset, int lenOffset, int elemSize, int maxElems, int offset) {
    public int dataOffset() {
      return offset + 8;
    }

    public boolean fixed() {
      return lenOffset < 0;
    }
  }

  /** The buffer whose pointer is at {@code ptrOffset}, if one was planned. */
  public Optional<Buffer> bufferAt(int ptrOffset) {
    return buffers.stream().filter(b -> b.ptrOffset() == ptrOffset).findFirst();
  }

  /** Lays out {@code params} with strings and byte slices copied up to {@code strsize} bytes. */
  public static RecordLayout of(List<ParamLayout> params, int strsize) {
    return of(params, strsize, false);
  }

  /**
   * Lays out {@code params}; with {@code deref}, the pointee of each pointer to a struct of at most
   * {@link #MAX_DEREF} bytes is copied too. The pointee of an {@code error} value is always copied
   * ({@link #ERROR_PEEK} bytes) so that the message of the standard library's error types, a
   * string in their first field, can be shown.
   */
  public static RecordLayout of(List<ParamLayout> params, int strsize, boolean deref) {
    int at = HEADER;
    List<Value> values = new ArrayList<>();
    for (ParamLayout p : params) {
      boolean copy = p.size() <= MAX_IMAGE;
      values.add(new Value(p, at, copy));
      if (copy) {
        at += (int) ((p.size() + 7) / 8 * 8);
      }
    }
    Alloc a = new Alloc(at, strsize, deref);
    for (Value v : values) {
      if (v.copied() && v.param().located() && !v.param().inFloatRegister()) {
        a.walk(v.param().type(), v.offset(), 0);
      }
    }
    return new RecordLayout(a.at, values, a.buffers);
  }

  /** Largest struct copied through a pointer with {@code --deref}. */
  public static final int MAX_DEREF = 64;
  /** Bytes copied from the pointee of an error value: one string header. */
  public static final int ERROR_PEEK = 16;

  /** Assigns buffers in walk order: a buffer's pointer may lie in an earlier buffer's data. */
  private static final class Alloc {
    int at;
    final int strsize;
    final boolean deref;
    final List<Buffer> buffers = new ArrayList<>();

    Alloc(int at, int strsize, boolean deref) {
      this.at = at;
      this.strsize = strsize;
      this.deref = deref;
    }

    int add(int ptr, int len, int elemSize, int maxElems) {
      Buffer b = new Buffer(ptr, len, elemSize, maxElems, at);
      buffers.add(b);
      at += 8 + (elemSize * maxElems + 7) / 8 * 8;
      return b.dataOffset();
    }

    void walk(GoType type, int off, int depth) {
      GoType t = type.underlying();
      if (depth > 4 || buffers.size() >= MAX_BUFFERS) {
        return;
      }
      if (t instanceof GoType.GoString) {
        add(off, off + 8, 1, strsize);
      } else if (t instanceof GoType.Slice s) {
        int es = copiedElemSize(s);
        if (es == 1) {
          add(off, off + 8, 1, strsize);
        } else if (es > 1) {
          add(off, off + 8, es, MAX_INT_ELEMS);
        } else if (isStrings(s) && buffers.size() + 1 + MAX_STRING_ELEMS <= MAX_BUFFERS) {
          // The first string headers, then each one's bytes (headers past len are never shown).
          int data = add(off, off + 8, 16, MAX_STRING_ELEMS);
          for (int i = 0; i < MAX_STRING_ELEMS; i++) {
            add(data + 16 * i, data + 16 * i + 8, 1, strsize);
          }
        }
      } else if (t instanceof GoType.Struct s) {
        for (GoType.Field f : s.fields()) {
          walk(f.type().get(), off + (int) f.offset(), depth + 1);
        }
      } else if (t instanceof GoType.Array arr && arr.count() > 0 && arr.count() <= 8) {
        GoType e = arr.elem().get();
        for (int i = 0; i < arr.count(); i++) {
          walk(e, off + (int) (i * e.size()), depth + 1);
        }
      } else if (t instanceof GoType.Pointer p && deref && depth == 0 && p.elem().isPresent()) {
        GoType e = p.elem().get().get().underlying();
        if (e instanceof GoType.Struct && e.size() > 0 && e.size() <= MAX_DEREF) {
          int data = add(off, -1, 1, (int) e.size());
          walk(e, data, depth + 1);
        }
      } else if (t instanceof GoType.Interface && isError(type) && buffers.size() + 2 <= MAX_BUFFERS) {
        int data = add(off + 8, -1, 1, ERROR_PEEK);
        add(data, data + 8, 1, strsize);
      }
    }
  }

  /** Whether {@code s} is a slice of strings. */
  public static boolean isStrings(GoType.Slice s) {
    return s.elem().get().underlying() instanceof GoType.GoString;
  }

  /** Whether {@code t} is the predeclared {@code error} interface. */
  public static boolean isError(GoType t) {
    return t.name().equals("error");
  }

  /** The element size of slices whose elements are copied, 0 for other slices. */
  public static int copiedElemSize(GoType.Slice s) {
    GoType e = s.elem().get().underlying();
    if (e instanceof GoType.Base b && (b.encoding() == 5 || b.encoding() == 7 || b.encoding() == 8)
        && (b.size() == 1 || b.size() == 2 || b.size() == 4 || b.size() == 8)) {
      return (int) b.size();
    }
    return 0;
  }

}
