package dev.gotrace.core.decode;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.goelf.dwarf.GoType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats the image of a Go value, as an args record holds it, in Go syntax: strings quoted
 * (with "..." and the length when cut at the copy limit), slices as {@code []T{...}} with len and
 * cap, structs with field names, pointers as addresses, interfaces as their dynamic type and
 * data pointer. Values that cannot be known say why in parentheses.
 */
final class ValueFormatter {
  static final String FLOAT_REGISTER = "(unavailable: float register)";
  static final String UNLOCATED = "(unavailable: no DWARF location here)";
  private static final int MAX_DEPTH = 6;
  /**
   * Error types of the standard library whose first field is their message (errors/errors.go,
   * fmt/errors.go): the message is shown instead of the address.
   */
  static final java.util.Set<String> MESSAGE_FIRST = java.util.Set.of("*errors.errorString", "*fmt.wrapError",
      "*fmt.wrapErrors");

  private final ByteBuffer rec;
  private final RecordLayout layout;
  private final TypeNames names;
  private final long bias;

  /** {@code rec} is little-endian with the record at index 0; {@code bias} = runtime - link-time. */
  ValueFormatter(ByteBuffer rec, RecordLayout layout, TypeNames names, long bias) {
    this.rec = rec;
    this.layout = layout;
    this.names = names;
    this.bias = bias;
  }

  List<Event.Arg> format() {
    List<Event.Arg> out = new ArrayList<>();
    for (RecordLayout.Value v : layout.values()) {
      ParamLayout p = v.param();
      String value;
      if (!p.located()) {
        value = UNLOCATED;
      } else if (p.inFloatRegister()) {
        value = FLOAT_REGISTER;
      } else if (!v.copied()) {
        value = "(not copied: " + p.size() + " bytes)";
      } else {
        value = value(p.type(), v.offset(), 0);
      }
      out.add(new Event.Arg(p.name(), p.type().name(), value));
    }
    return out;
  }

  private long word(int off) {
    return rec.getLong(off);
  }

  String value(GoType type, int off, int depth) {
    GoType t = type.underlying();
    if (depth > MAX_DEPTH) {
      return "...";
    }
    if (t instanceof GoType.Base b) {
      return base(b, off);
    }
    if (t instanceof GoType.Pointer ptr && ptr.elem().isPresent()
        && layout.bufferAt(off).filter(RecordLayout.Buffer::fixed).isPresent()) {
      long p = word(off);
      RecordLayout.Buffer buf = layout.bufferAt(off).get();
      if (p == 0) {
        return "nil";
      }
      if (word(buf.offset()) != 0) {
        return "0x" + Long.toHexString(p) + " (unreadable)";
      }
      return "&" + value(ptr.elem().get().get(), buf.dataOffset(), depth + 1);
    }
    if (t instanceof GoType.Pointer || t instanceof GoType.GoMap || t instanceof GoType.Chan
        || t instanceof GoType.Func) {
      long p = word(off);
      return p == 0 ? "nil" : "0x" + Long.toHexString(p);
    }
    if (t instanceof GoType.GoString) {
      return string(off);
    }
    if (t instanceof GoType.Slice s) {
      return slice(s, s.name(), off);
    }
    if (t instanceof GoType.Interface i) {
      long tw = word(off);
      if (tw == 0) {
        return "nil";
      }
      String dyn = names.name(tw - bias, !i.empty()).orElse("(type at 0x" + Long.toHexString(tw) + ")");
      long data = word(off + 8);
      var peek = layout.bufferAt(off + 8).filter(RecordLayout.Buffer::fixed);
      if (peek.isPresent() && MESSAGE_FIRST.contains(dyn) && word(peek.get().offset()) == 0) {
        return dyn + "(" + string(peek.get().dataOffset()) + ")";
      }
      return dyn + "(0x" + Long.toHexString(data) + ")";
    }
    if (t instanceof GoType.Struct s) {
      StringBuilder sb = new StringBuilder(type.name()).append('{');
      boolean first = true;
      for (GoType.Field f : s.fields()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append(f.name()).append(": ").append(value(f.type().get(), off + (int) f.offset(), depth + 1));
      }
      return sb.append('}').toString();
    }
    if (t instanceof GoType.Array a) {
      StringBuilder sb = new StringBuilder(type.name()).append('{');
      GoType e = a.elem().get();
      for (long i = 0; i < a.count() && i < 16; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(value(e, off + (int) (i * e.size()), depth + 1));
      }
      return sb.append(a.count() > 16 ? ", ...}" : "}").toString();
    }
    return "(" + type.name() + ")";
  }

  private String base(GoType.Base b, int off) {
    int size = (int) b.size();
    return switch (b.encoding()) {
      case 2 -> rec.get(off) != 0 ? "true" : "false";
      case 4 -> size == 8 ? Double.toString(rec.getDouble(off)) : Float.toString(rec.getFloat(off));
      case 5 -> Long.toString(signed(off, size));
      case 7, 8 -> Long.toUnsignedString(unsigned(off, size));
      case 3 -> size == 16 ? "(" + rec.getDouble(off) + "+" + rec.getDouble(off + 8) + "i)"
          : "(" + rec.getFloat(off) + "+" + rec.getFloat(off + 4) + "i)";
      default -> "0x" + Long.toHexString(unsigned(off, Math.min(8, size)));
    };
  }

  private long signed(int off, int size) {
    return switch (size) {
      case 1 -> rec.get(off);
      case 2 -> rec.getShort(off);
      case 4 -> rec.getInt(off);
      default -> rec.getLong(off);
    };
  }

  private long unsigned(int off, int size) {
    return switch (size) {
      case 1 -> rec.get(off) & 0xffL;
      case 2 -> rec.getShort(off) & 0xffffL;
      case 4 -> rec.getInt(off) & 0xffffffffL;
      default -> rec.getLong(off);
    };
  }

  private String string(int off) {
    long ptr = word(off);
    long len = word(off + 8);
    if (len == 0) {
      return "\"\"";
    }
    var buf = layout.bufferAt(off);
    if (buf.isEmpty()) {
      return "(string at 0x" + Long.toHexString(ptr) + ", len " + len + ")";
    }
    if (len < 0) {
      return "(bad string: len " + len + ")";
    }
    long status = word(buf.get().offset());
    if (status != 0) {
      return "(unreadable string at 0x" + Long.toHexString(ptr) + ", len " + len + ")";
    }
    int n = (int) Math.min(len, buf.get().maxElems());
    return quote(bytes(buf.get().dataOffset(), n)) + (n < len ? "... (len " + len + ")" : "");
  }

  private String slice(GoType.Slice s, String name, int off) {
    long ptr = word(off);
    long len = word(off + 8);
    long cap = word(off + 16);
    if (ptr == 0 && len == 0) {
      return name + "(nil)";
    }
    String lc = " (len=" + len + " cap=" + cap + ")";
    var buf = layout.bufferAt(off);
    if (buf.isPresent() && RecordLayout.isStrings(s) && len >= 0) {
      if (word(buf.get().offset()) != 0) {
        return name + "(unreadable at 0x" + Long.toHexString(ptr) + ")" + lc;
      }
      int n = (int) Math.min(len, buf.get().maxElems());
      StringBuilder sb = new StringBuilder(name).append('{');
      for (int i = 0; i < n; i++) {
        sb.append(i > 0 ? ", " : "").append(string(buf.get().dataOffset() + 16 * i));
      }
      return sb.append(n < len ? ", ..." : "").append('}').append(lc).toString();
    }
    int es = RecordLayout.copiedElemSize(s);
    if (buf.isEmpty() || es == 0 || len < 0) {
      return name + "(0x" + Long.toHexString(ptr) + ")" + lc;
    }
    if (word(buf.get().offset()) != 0) {
      return name + "(unreadable at 0x" + Long.toHexString(ptr) + ")" + lc;
    }
    int n = (int) Math.min(len, buf.get().maxElems());
    String more = n < len ? ", ..." : "";
    if (es == 1 && name.equals("[]uint8")) {
      return "[]byte(" + quote(bytes(buf.get().dataOffset(), n)) + (more.isEmpty() ? "" : "...") + ")" + lc;
    }
    GoType.Base e = (GoType.Base) s.elem().get().underlying();
    StringBuilder sb = new StringBuilder(name).append('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(base(e, buf.get().dataOffset() + i * es));
    }
    return sb.append(more).append('}').append(lc).toString();
  }

  private byte[] bytes(int off, int n) {
    byte[] b = new byte[n];
    rec.get(off, b);
    return b;
  }

  /** A Go-style double-quoted string (strconv.Quote-like for ASCII; UTF-8 kept as is). */
  static String quote(byte[] raw) {
    String s = new String(raw, StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
