package dev.gotrace.core.query;

import java.util.List;
import java.util.Random;

/** Random well-typed (mostly) expressions over {@link Synthetic}'s function, as text. */
final class RandomExprs {
  record Typed(String path, String kind, boolean result) {}

  static final List<Typed> PATHS = List.of(
      new Typed("a", "int", false), new Typed("b", "int32", false), new Typed("c", "uint8", false),
      new Typed("u", "uint64", false), new Typed("h", "int16", false), new Typed("k", "int8", false),
      new Typed("w", "uint32", false), new Typed("p.X", "int32", false), new Typed("p.Y", "int64", false),
      new Typed("p.U", "uint16", false), new Typed("p.I8", "int8", false), new Typed("p.Next.X", "int32", false),
      new Typed("p.Depth", "uint32", false), new Typed("q.Next.Next.Y", "int64", false),
      new Typed("len(s)", "int", false), new Typed("len(t)", "int", false), new Typed("len(xs)", "int", false),
      new Typed("len(p.Name)", "int", false), new Typed("r0", "int", true), new Typed("arg0", "int", false),
      new Typed("ret0", "int", true), new Typed("len(r1)", "int", true),
      new Typed("d", "bool", false), new Typed("p.Ok", "bool", false), new Typed("r3", "bool", true),
      new Typed("q.Next.Ok", "bool", false),
      new Typed("f", "float64", false), new Typed("g", "float32", false), new Typed("p.F", "float64", false),
      new Typed("p.Next.F", "float64", false),
      new Typed("s", "string", false), new Typed("t", "string", false), new Typed("p.Name", "string", false),
      new Typed("p.Next.Name", "string", false), new Typed("r1", "string", true), new Typed("arg4", "string", false),
      new Typed("p", "nil", false), new Typed("q", "nil", false), new Typed("e", "nil", false),
      new Typed("xs", "nil", false), new Typed("p.Next", "nil", false), new Typed("r2", "nil", true));
  static final List<String> OPS = List.of("==", "!=", "<", "<=", ">", ">=");
  static final List<String> INT_LITERALS = List.of("0", "1", "-1", "2", "3", "7", "200", "255", "256", "2020",
      "2021", "65535", "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808", "127", "-128",
      "18446744073709551615", "0x10", "32767", "-32768", "4294967295", "2.0");
  static final List<String> FLOAT_LITERALS = List.of("0", "0.0", "-0.0", "1.5", "-1.5", "2.5", "2021", "1e300",
      "-1e300", "3", "-3", "1e-300", "3.4e38");
  static final List<String> STRING_LITERALS = List.of("\"\"", "\"a\"", "\"ab\"", "\"abc\"", "\"b\"", "\"GET\"",
      "\"POST\"", "\"/api\"", "\"/api/v1\"", "\".html\"", "\"héllo\"", "\"" + "a".repeat(128) + "\"",
      "\"" + "a".repeat(9) + "\"", "\"zz\"", "\"\\0\"", "\"a\\\"b\"", "`raw`", "\"abcdefgh\"", "\"abcdefghi\"");
  static final List<String> BY = List.of("a", "s", "p.Name", "f", "d", "p != nil", "r1", "r0", "len(xs)", "g", "c",
      "k", "b", "u", "q.Next.Y", "r2 == nil", "hasPrefix(s, \"a\")", "p.Next.Name", "w", "p.F", "e != nil", "r3");

  private final Random rnd;

  RandomExprs(long seed) {
    this.rnd = new Random(seed);
  }

  String where(int depth) {
    int pick = rnd.nextInt(10);
    if (depth > 0 && pick < 2) {
      return "(" + where(depth - 1) + ") && " + where(depth - 1);
    }
    if (depth > 0 && pick < 4) {
      return where(depth - 1) + " || " + where(depth - 1);
    }
    if (depth > 0 && pick < 5) {
      return "!(" + where(depth - 1) + ")";
    }
    return leaf();
  }

  String leaf() {
    Typed t = PATHS.get(rnd.nextInt(PATHS.size()));
    String op = OPS.get(rnd.nextInt(OPS.size()));
    switch (t.kind()) {
      case "bool":
        return switch (rnd.nextInt(3)) {
          case 0 -> t.path();
          case 1 -> "!" + t.path();
          default -> t.path() + " " + (rnd.nextBoolean() ? "==" : "!=") + " " + rnd.nextBoolean();
        };
      case "nil":
        return rnd.nextBoolean() ? t.path() + " == nil" : "nil != " + t.path();
      case "string":
        String lit = STRING_LITERALS.get(rnd.nextInt(STRING_LITERALS.size()));
        return switch (rnd.nextInt(4)) {
          case 0 -> "hasPrefix(" + t.path() + ", " + lit + ")";
          case 1 -> "hasSuffix(" + t.path() + ", " + lit + ")";
          case 2 -> lit + " " + op + " " + t.path();
          default -> t.path() + " " + op + " " + lit;
        };
      case "float64":
      case "float32":
        if (rnd.nextInt(5) == 0) {
          Typed other = sameKind(t.kind());
          return t.path() + " " + op + " " + other.path();
        }
        return t.path() + " " + op + " " + FLOAT_LITERALS.get(rnd.nextInt(FLOAT_LITERALS.size()));
      default:
        if (rnd.nextInt(5) == 0) {
          return t.path() + " " + op + " " + sameKind(t.kind()).path();
        }
        String n = INT_LITERALS.get(rnd.nextInt(INT_LITERALS.size()));
        return rnd.nextInt(4) == 0 ? n + " " + op + " " + t.path() : t.path() + " " + op + " " + n;
    }
  }

  private Typed sameKind(String kind) {
    List<Typed> same = PATHS.stream().filter(p -> p.kind().equals(kind)).toList();
    return same.get(rnd.nextInt(same.size()));
  }

  /** A --by list of entry-side or exit-side parts (0–3 of them). */
  String by() {
    int n = rnd.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(BY.get(rnd.nextInt(BY.size())));
    }
    return b.toString();
  }
}
