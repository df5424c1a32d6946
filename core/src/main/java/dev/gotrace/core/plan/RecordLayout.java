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
 */
public record RecordLayout(int size, List<Value> values, List<Buffer> buffers) {
  /** Size of the fixed header (see {@code codegen.ArgsRecord}). */
  public static final int HEADER = 64;
  /** A parameter larger than this is not copied. */
  public static final int MAX_IMAGE = 256;
  /** At most this many strings and slices are copied per record. */
  public static final int MAX_BUFFERS = 8;
  /** Elements copied from a slice of integers. */
  public static final int MAX_INT_ELEMS = 16;

  public RecordLayout {
    values = List.copyOf(values);
    buffers = List.copyOf(buffers);
  }

  /**
   * The image of a parameter at {@code offset} of the record; {@code copied} is false when the
   * value is larger than {@link #MAX_IMAGE}.
   */
  public record Value(ParamLayout param, int offset, boolean copied) {}

  /**
   * Pointed-to data: the pointer is the u64 at {@code ptrOffset}, the length (in elements) the
   * u64 at {@code lenOffset}; up to {@code maxElems} elements of {@code elemSize} bytes are copied
   * to {@code offset + 8}, and the helper's return value stored at {@code offset}.
   */
  public record Buffer(int ptrOffset, int lenOffset, int elemSize, int maxElems, int offset) {
    public int dataOffset() {
      return offset + 8;
    }
  }

  /** The buffer whose pointer is at {@code ptrOffset}, if one was planned. */
  public Optional<Buffer> bufferAt(int ptrOffset) {
    return buffers.stream().filter(b -> b.ptrOffset() == ptrOffset).findFirst();
  }

  /** Lays out {@code params} with strings and byte slices copied up to {@code strsize} bytes. */
  public static RecordLayout of(List<ParamLayout> params, int strsize) {
    int at = HEADER;
    List<Value> values = new ArrayList<>();
    for (ParamLayout p : params) {
      boolean copy = p.size() <= MAX_IMAGE;
      values.add(new Value(p, at, copy));
      if (copy) {
        at += (int) ((p.size() + 7) / 8 * 8);
      }
    }
    List<int[]> found = new ArrayList<>();
    for (Value v : values) {
      if (v.copied()) {
        walk(v.param().type(), v.offset(), strsize, found, 0);
      }
    }
    List<Buffer> buffers = new ArrayList<>();
    for (int[] f : found) {
      if (buffers.size() == MAX_BUFFERS) {
        break;
      }
      buffers.add(new Buffer(f[0], f[0] + 8, f[1], f[2], at));
      at += 8 + (f[1] * f[2] + 7) / 8 * 8;
    }
    return new RecordLayout(at, values, buffers);
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

  private static void walk(GoType type, int off, int strsize, List<int[]> out, int depth) {
    GoType t = type.underlying();
    if (depth > 4) {
      return;
    }
    if (t instanceof GoType.GoString) {
      out.add(new int[] {off, 1, strsize});
    } else if (t instanceof GoType.Slice s) {
      int es = copiedElemSize(s);
      if (es == 1) {
        out.add(new int[] {off, 1, strsize});
      } else if (es > 1) {
        out.add(new int[] {off, es, MAX_INT_ELEMS});
      }
    } else if (t instanceof GoType.Struct s) {
      for (GoType.Field f : s.fields()) {
        walk(f.type().get(), off + (int) f.offset(), strsize, out, depth + 1);
      }
    } else if (t instanceof GoType.Array a && a.count() > 0 && a.count() <= 8) {
      GoType e = a.elem().get();
      for (int i = 0; i < a.count(); i++) {
        walk(e, off + (int) (i * e.size()), strsize, out, depth + 1);
      }
    }
  }
}
