package dev.gotrace.core.expr;

import dev.gotrace.core.expr.Expr.CompareOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the text of {@code --where} (one expression) and {@code --by} (a comma-separated list)
 * into {@link Expr} trees; the grammar is in the package documentation. Untrusted text: every
 * refusal is an {@link ExprException} with the column, never another exception.
 */
public final class ExprParser {
  /** The Go types a positional root may be given ({@code arg1:int}) where no DWARF says it. */
  public static final Set<String> POSITIONAL_TYPES = Set.of("int", "int8", "int16", "int32", "int64", "uint",
      "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune", "bool", "float32", "float64", "string");
  /** Nesting deeper than this (parentheses, !) is refused: the parser recurses. */
  static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;
  private int depth;

  private ExprParser(String text) {
    this.text = text;
  }

  /** One expression ({@code --where}). */
  public static Expr parse(String text) {
    ExprParser p = new ExprParser(text);
    Expr e = p.or();
    p.end();
    return e;
  }

  /** One item of a {@code --by} list: its text as written (trimmed), and its tree. */
  public record Item(String text, Expr expr) {}

  /** A comma-separated list of expressions ({@code --by year,err != nil}). */
  public static List<Item> parseList(String text) {
    ExprParser p = new ExprParser(text);
    List<Item> out = new ArrayList<>();
    while (true) {
      p.skipSpace();
      int start = p.pos;
      Expr e = p.or();
      out.add(new Item(text.substring(start, p.pos).strip(), e));
      p.skipSpace();
      if (p.pos < text.length() && text.charAt(p.pos) == ',') {
        p.pos++;
        continue;
      }
      p.end();
      return out;
    }
  }

  /** The N of {@code argN} or {@code retN}, else empty. */
  static Optional<Integer> position(String root) {
    String digits = root.startsWith("arg") ? root.substring(3) : root.startsWith("ret") ? root.substring(3) : "";
    if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)
        || (digits.length() > 1 && digits.charAt(0) == '0')) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(digits));
  }

  private void end() {
    skipSpace();
    if (pos < text.length()) {
      if (text.startsWith("=", pos) && !text.startsWith("==", pos)) {
        throw fail(pos, "'=' is not a comparison (write ==)");
      }
      throw fail(pos, "unexpected '" + text.charAt(pos) + "'");
    }
  }

  private Expr or() {
    Expr left = and();
    while (consume("||")) {
      left = new Expr.Logical(left.at(), false, left, and());
    }
    return left;
  }

  private Expr and() {
    Expr left = comparison();
    while (consume("&&")) {
      left = new Expr.Logical(left.at(), true, left, comparison());
    }
    return left;
  }

  private Expr comparison() {
    Expr left = unary();
    CompareOp op = compareOp();
    if (op == null) {
      return left;
    }
    Expr right = unary();
    int at = pos;
    if (compareOp() != null) {
      throw fail(at, "comparisons do not chain (join them with &&)");
    }
    return new Expr.Compare(left.at(), op, left, right);
  }

  /** {@code !} binds tighter than a comparison, as in Go: {@code !ok == done} is {@code (!ok) == done}. */
  private Expr unary() {
    skipSpace();
    if (text.startsWith("!", pos) && !text.startsWith("!=", pos)) {
      int at = pos++;
      return new Expr.Not(at, nested(this::unary));
    }
    return value();
  }

  /** Consumes a comparison operator, or returns null and consumes nothing. */
  private CompareOp compareOp() {
    skipSpace();
    for (CompareOp op : new CompareOp[] {CompareOp.EQ, CompareOp.NE, CompareOp.LE, CompareOp.GE, CompareOp.LT,
        CompareOp.GT}) {
      if (text.startsWith(op.text(), pos)) {
        pos += op.text().length();
        return op;
      }
    }
    return null;
  }

  private Expr value() {
    skipSpace();
    if (pos >= text.length()) {
      throw fail(pos, "expected a value");
    }
    int at = pos;
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      Expr e = nested(this::or);
      skipSpace();
      if (pos >= text.length() || text.charAt(pos) != ')') {
        throw fail(pos, "expected ')' for the '(' at column " + (at + 1));
      }
      pos++;
      return e;
    }
    if (c == '"' || c == '`') {
      return new Expr.StringLit(at, string());
    }
    if (isDigit(c) || ((c == '-' || c == '.') && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
      return number();
    }
    if (isIdentStart(c)) {
      return named();
    }
    throw fail(pos, "expected a value, not '" + c + "'");
  }

  private Expr nested(java.util.function.Supplier<Expr> inner) {
    if (++depth > MAX_DEPTH) {
      throw fail(pos, "nested more than " + MAX_DEPTH + " deep");
    }
    try {
      return inner.get();
    } finally {
      depth--;
    }
  }

  private Expr named() {
    int at = pos;
    String name = ident();
    switch (name) {
      case "true":
        return new Expr.BoolLit(at, true);
      case "false":
        return new Expr.BoolLit(at, false);
      case "nil":
        return new Expr.Nil(at);
      default:
        break;
    }
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == '(') {
      return call(at, name);
    }
    List<String> fields = new ArrayList<>();
    while (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      if (pos >= text.length() || !isIdentStart(text.charAt(pos))) {
        throw fail(pos, "expected a field name after '.'");
      }
      fields.add(ident());
    }
    Optional<String> type = Optional.empty();
    if (pos < text.length() && text.charAt(pos) == ':') {
      int colon = pos++;
      if (position(name).isEmpty() || !fields.isEmpty()) {
        throw fail(colon, "only a positional argN or retN takes a type (arg1:int)");
      }
      int t = pos;
      String typeName = pos < text.length() && isIdentStart(text.charAt(pos)) ? ident() : "";
      if (!POSITIONAL_TYPES.contains(typeName)) {
        throw fail(t, "expected a type: one of " + String.join(", ", POSITIONAL_TYPES.stream().sorted().toList()));
      }
      type = Optional.of(typeName);
    }
    return new Expr.Path(at, name, fields, type);
  }

  private Expr call(int at, String name) {
    Expr.Function fn = null;
    for (Expr.Function f : Expr.Function.values()) {
      if (f.text().equals(name)) {
        fn = f;
      }
    }
    if (fn == null) {
      throw fail(at, "no function " + name + " (there are len, hasPrefix and hasSuffix)");
    }
    pos++; // '('
    List<Expr> args = new ArrayList<>();
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == ')') {
      pos++;
    } else {
      while (true) {
        args.add(nested(this::or));
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (pos < text.length() && text.charAt(pos) == ')') {
          pos++;
          break;
        }
        throw fail(pos, "expected ',' or ')' in the call of " + name);
      }
    }
    if (args.size() != fn.arity()) {
      throw fail(at, name + " takes " + fn.arity() + (fn.arity() == 1 ? " argument" : " arguments") + ", not "
          + args.size());
    }
    return new Expr.Call(at, fn, args);
  }

  private Expr number() {
    int at = pos;
    boolean negative = text.charAt(pos) == '-';
    if (negative) {
      pos++;
    }
    int start = pos;
    if (text.startsWith("0x", pos) || text.startsWith("0X", pos)) {
      pos += 2;
      while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
        pos++;
      }
      return integer(at, negative, text.substring(start + 2, pos), 16);
    }
    boolean isFloat = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (isDigit(c)) {
        pos++;
      } else if (c == '.' && !isFloat) {
        isFloat = true;
        pos++;
      } else if ((c == 'e' || c == 'E') && pos > start) {
        isFloat = true;
        pos++;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
      } else {
        break;
      }
    }
    if (pos < text.length() && isIdentStart(text.charAt(pos))) {
      throw fail(pos, "unexpected '" + text.charAt(pos) + "' in a number");
    }
    String digits = text.substring(start, pos);
    if (isFloat) {
      try {
        double d = Double.parseDouble(digits);
        if (Double.isInfinite(d)) {
          throw fail(at, "the number " + text.substring(at, pos) + " is out of range");
        }
        return new Expr.FloatLit(at, negative ? -d : d);
      } catch (NumberFormatException e) {
        throw fail(at, "not a number: " + text.substring(at, pos));
      }
    }
    return integer(at, negative, digits, 10);
  }

  private Expr integer(int at, boolean negative, String digits, int radix) {
    if (digits.isEmpty()) {
      throw fail(pos, "expected digits");
    }
    try {
      long v = Long.parseLong((negative ? "-" : "") + digits, radix);
      return new Expr.IntLit(at, v, false);
    } catch (NumberFormatException tooBig) {
      if (!negative) {
        try {
          return new Expr.IntLit(at, Long.parseUnsignedLong(digits, radix), true);
        } catch (NumberFormatException e) {
          // falls through
        }
      }
      throw fail(at, "the integer " + text.substring(at, pos) + " does not fit 64 bits");
    }
  }

  private String string() {
    char quote = text.charAt(pos);
    int at = pos++;
    StringBuilder b = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\\' && quote == '"') {
        if (pos >= text.length()) {
          break;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case '0' -> b.append('\0');
          case '\\', '"' -> b.append(e);
          default -> throw fail(pos - 2, "unknown escape \\" + e + " (there are \\n \\t \\r \\0 \\\\ \\\")");
        }
      } else {
        b.append(c);
      }
    }
    throw fail(at, "the string has no closing " + quote);
  }

  private String ident() {
    int start = pos;
    while (pos < text.length() && (isIdentStart(text.charAt(pos)) || isDigit(text.charAt(pos)))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private boolean consume(String op) {
    skipSpace();
    if (text.startsWith(op, pos)) {
      pos += op.length();
      return true;
    }
    return false;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private ExprException fail(int offset, String problem) {
    return new ExprException(text, Math.min(offset, text.length()), problem);
  }
}
