package dev.gotrace.goelf.dwarf;

import java.util.stream.Collectors;

/** Test helper: a one-line, depth-limited description of a type graph for assertions. */
final class Describe {
  private Describe() {}

  static String type(GoType t) {
    return type(t, 2);
  }

  static String type(GoType t, int depth) {
    GoType u = t.underlying();
    String named = t instanceof GoType.Typedef ? t.name() + "=" : "";
    if (depth <= 0) {
      return named + u.name();
    }
    return named + body(u, depth);
  }

  private static String body(GoType u, int depth) {
    if (u instanceof GoType.Base b) {
      return "base " + b.name() + "/" + b.size();
    } else if (u instanceof GoType.Pointer p) {
      return "ptr " + p.elem().map(e -> type(e.get(), depth - 1)).orElse("void");
    } else if (u instanceof GoType.GoString s) {
      return "string/" + s.size();
    } else if (u instanceof GoType.Slice s) {
      return "slice " + type(s.elem().get(), depth - 1);
    } else if (u instanceof GoType.Array a) {
      return "array " + a.count() + " " + type(a.elem().get(), depth - 1);
    } else if (u instanceof GoType.Struct s) {
      return "struct " + s.name() + "{" + s.fields().stream()
          .map(f -> f.name() + "@" + f.offset() + " " + type(f.type().get(), depth - 1))
          .collect(Collectors.joining("; ")) + "}";
    } else if (u instanceof GoType.Interface i) {
      return (i.empty() ? "eface " : "iface ") + i.name() + "/" + i.size();
    } else if (u instanceof GoType.GoMap m) {
      return "map " + type(m.key().get(), depth - 1) + " " + type(m.elem().get(), depth - 1);
    } else if (u instanceof GoType.Chan c) {
      return "chan " + type(c.elem().get(), depth - 1);
    } else if (u instanceof GoType.Func f) {
      return "func " + f.name() + "/" + f.size();
    } else if (u instanceof GoType.Other o) {
      return "other " + o.name() + " tag " + o.tag();
    }
    return "typedef " + u.name();
  }

  static String function(Subprogram f) {
    return f.name() + "(" + f.params().stream()
        .map(p -> (p.result() ? "out " : "") + p.name() + " " + type(p.type(), 1))
        .collect(Collectors.joining(", ")) + ")";
  }
}
