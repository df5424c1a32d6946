package dev.gotrace.core.expr;

import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code --where} or {@code --by} expression. Every node keeps {@link #at()}, the
 * 0-based offset in the text where it starts, so that later stages (types, compilation) can
 * point at it too.
 */
public sealed interface Expr {
  int at();

  /** An integer literal; {@code unsigned} when it does not fit an int64 (up to 2^64 − 1). */
  record IntLit(int at, long value, boolean unsigned) implements Expr {}

  record FloatLit(int at, double value) implements Expr {}

  record StringLit(int at, String value) implements Expr {}

  record BoolLit(int at, boolean value) implements Expr {}

  record Nil(int at) implements Expr {}

  /**
   * A value by path: {@code root} is a parameter's name, or {@code argN} / {@code retN} by
   * position; {@code fields} follow through structs and pointers; {@code type} is the Go type
   * given to a positional root ({@code arg1:int}) where there is no DWARF to say it.
   */
  record Path(int at, String root, List<String> fields, Optional<String> type) implements Expr {
    public Path {
      fields = List.copyOf(fields);
    }

    /** {@code argN} or {@code retN}: the position, else empty. */
    public Optional<Integer> position() {
      return ExprParser.position(root);
    }

    /** Whether the root is a result ({@code retN}). */
    public boolean result() {
      return root.startsWith("ret") && position().isPresent();
    }
  }

  record Not(int at, Expr operand) implements Expr {}

  /** The comparison operators, each with its text. */
  enum CompareOp {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String text;

    CompareOp(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  record Compare(int at, CompareOp op, Expr left, Expr right) implements Expr {}

  /** {@code &&} when {@code and}, else {@code ||}. */
  record Logical(int at, boolean and, Expr left, Expr right) implements Expr {}

  /** The functions an expression may call, by their names in the text, and how many arguments each takes. */
  enum Function {
    LEN("len", 1), HAS_PREFIX("hasPrefix", 2), HAS_SUFFIX("hasSuffix", 2);

    private final String text;
    private final int arity;

    Function(String text, int arity) {
      this.text = text;
      this.arity = arity;
    }

    public String text() {
      return text;
    }

    public int arity() {
      return arity;
    }
  }

  record Call(int at, Function function, List<Expr> args) implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }
}
