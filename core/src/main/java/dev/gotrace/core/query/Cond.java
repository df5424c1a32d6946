package dev.gotrace.core.query;

import dev.gotrace.core.expr.Expr.CompareOp;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A typed condition, Go's semantics: the tree {@link QueryPlanner} resolves from an expression,
 * which {@link Evaluator} evaluates over recorded bytes and {@link QueryAsm} compiles to eBPF.
 * A read that faults (a nil pointer on a path) makes the leaf that reads it false.
 */
public sealed interface Cond {
  record Truth(boolean value) implements Cond {}

  record And(Cond left, Cond right) implements Cond {}

  record Or(Cond left, Cond right) implements Cond {}

  record Not(Cond operand) implements Cond {}

  /** A bool path. */
  record IsTrue(Access access) implements Cond {}

  /**
   * Two scalars of one type: integers by the type's signedness, bools by {@code ==}/{@code !=},
   * floats as Go compares them (NaN unequal to all, -0 == +0).
   */
  record Compare(CompareOp op, TExpr left, TExpr right) implements Cond {}

  /** A string path against a literal, bytewise (Go's order). */
  record StrCompare(CompareOp op, Access string, Bytes literal) implements Cond {}

  /** {@code hasPrefix(s, lit)}, or with {@code suffix} {@code hasSuffix(s, lit)}. */
  record HasAffix(Access string, Bytes literal, boolean suffix) implements Cond {}

  /** {@code x == nil} ({@code nil} true) or {@code x != nil}: the value's first word is 0. */
  record IsNil(Access access, boolean nil) implements Cond {}

  /** At an exit: bit {@code bit} of the word of conditions the entry decided ({@link FunctionQuery#captures()}). */
  record Captured(int bit) implements Cond {}

  /** An immutable byte string (a literal's UTF-8), with value equality. */
  record Bytes(byte[] bytes) {
    public Bytes {
      bytes = bytes.clone();
    }

    public static Bytes utf8(String s) {
      return new Bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    public int length() {
      return bytes.length;
    }

    public int at(int i) {
      return bytes[i] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return HexFormat.of().formatHex(bytes);
    }
  }
}
