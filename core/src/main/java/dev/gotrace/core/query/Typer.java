package dev.gotrace.core.query;

import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.Expr.CompareOp;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Types an {@link Expr} with Go's rules into a {@link Cond}: operands of a comparison have one
 * type (a constant takes the other side's type, and must fit it), strings compare with string
 * literals, nil with what may be nil, bools by {@code ==} and {@code !=}.
 */
final class Typer {
  /** The longest string literal compared. */
  static final int MAX_LITERAL = 128;

  private final Resolver resolver;

  Typer(Resolver resolver) {
    this.resolver = resolver;
  }

  /** An operand before types are unified. */
  sealed interface Operand {
    int at();
  }

  record PathOp(int at, Access access) implements Operand {}

  record LenOp(int at, Access access) implements Operand {}

  record IntC(int at, BigInteger value) implements Operand {}

  record FloatC(int at, double value) implements Operand {}

  record BoolC(int at, boolean value) implements Operand {}

  record StrC(int at, String value) implements Operand {}

  record NilC(int at) implements Operand {}

  Cond cond(Expr e) {
    if (e instanceof Expr.Logical l) {
      Cond a = cond(l.left());
      Cond b = cond(l.right());
      return l.and() ? new Cond.And(a, b) : new Cond.Or(a, b);
    }
    if (e instanceof Expr.Not n) {
      return new Cond.Not(cond(n.operand()));
    }
    if (e instanceof Expr.BoolLit b) {
      return new Cond.Truth(b.value());
    }
    if (e instanceof Expr.Compare c) {
      return compare(c);
    }
    if (e instanceof Expr.Call c && c.function() != Expr.Function.LEN) {
      Operand s = operand(c.args().get(0));
      if (!(s instanceof PathOp p && p.access().type() instanceof VType.Str)) {
        throw resolver.fail(c.args().get(0).at(), c.function().text() + " takes a string path first, not " + describe(s));
      }
      if (!(c.args().get(1) instanceof Expr.StringLit lit)) {
        throw resolver.fail(c.args().get(1).at(), c.function().text() + " takes a string literal second");
      }
      return new Cond.HasAffix(p.access(), literal(lit.at(), lit.value()), c.function() == Expr.Function.HAS_SUFFIX);
    }
    Operand o = operand(e);
    if (o instanceof PathOp p && p.access().type() instanceof VType.Bool) {
      return new Cond.IsTrue(p.access());
    }
    String hint = o instanceof PathOp p && p.access().type() instanceof VType.Nilable ? " (compare it: "
        + p.access().text() + " != nil)" : o instanceof PathOp p ? " (compare it: " + p.access().text() + " == …)" : "";
    throw resolver.fail(e.at(), describe(o) + " is not a condition" + hint);
  }

  Operand operand(Expr e) {
    if (e instanceof Expr.Path p) {
      return new PathOp(p.at(), resolver.resolve(p));
    }
    if (e instanceof Expr.IntLit i) {
      BigInteger v = BigInteger.valueOf(i.value());
      return new IntC(i.at(), i.unsigned() ? v.and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)) : v);
    }
    if (e instanceof Expr.FloatLit f) {
      return new FloatC(f.at(), f.value());
    }
    if (e instanceof Expr.BoolLit b) {
      return new BoolC(b.at(), b.value());
    }
    if (e instanceof Expr.StringLit s) {
      return new StrC(s.at(), s.value());
    }
    if (e instanceof Expr.Nil n) {
      return new NilC(n.at());
    }
    if (e instanceof Expr.Call c && c.function() == Expr.Function.LEN) {
      Operand x = operand(c.args().get(0));
      if (x instanceof StrC s) {
        return new IntC(c.at(), BigInteger.valueOf(s.value().getBytes(StandardCharsets.UTF_8).length));
      }
      if (x instanceof PathOp p && (p.access().type() instanceof VType.Str
          || (p.access().type() instanceof VType.Nilable n && n.kind() == VType.NilKind.SLICE))) {
        return new LenOp(c.at(), p.access());
      }
      throw resolver.fail(c.args().get(0).at(), "len takes a string or a slice, not " + describe(x));
    }
    throw resolver.fail(e.at(), "a condition is not a value here (compare values, then join conditions with && or ||)");
  }

  private Cond compare(Expr.Compare c) {
    Operand l = operand(c.left());
    Operand r = operand(c.right());
    CompareOp op = c.op();
    if (l instanceof NilC || r instanceof NilC) {
      Operand other = l instanceof NilC ? r : l;
      if (!(other instanceof PathOp p && p.access().type() instanceof VType.Nilable)) {
        throw resolver.fail(other.at(), "cannot compare " + describe(other) + " with nil");
      }
      if (op != CompareOp.EQ && op != CompareOp.NE) {
        throw resolver.fail(c.at(), "nil compares only with == and !=");
      }
      return new Cond.IsNil(p.access(), op == CompareOp.EQ);
    }
    if (isString(l) || isString(r)) {
      if (l instanceof StrC a && r instanceof StrC b) {
        return new Cond.Truth(holds(op, compareBytes(a.value(), b.value())));
      }
      if (l instanceof PathOp a && isString(a) && r instanceof StrC b) {
        return new Cond.StrCompare(op, a.access(), literal(b.at(), b.value()));
      }
      if (r instanceof PathOp a && isString(a) && l instanceof StrC b) {
        return new Cond.StrCompare(flip(op), a.access(), literal(b.at(), b.value()));
      }
      if (isString(l) && isString(r)) {
        throw resolver.fail(c.at(), "two strings read from the call are not compared; compare one with a string literal");
      }
      throw mismatch(c, l, r);
    }
    VType lt = typeOf(l);
    VType rt = typeOf(r);
    if (lt == null && rt == null) {
      return new Cond.Truth(foldConstants(c, l, r));
    }
    if (lt != null && rt != null && !lt.equals(rt)) {
      throw mismatch(c, l, r);
    }
    VType t = lt != null ? lt : rt;
    if (t instanceof VType.Bool && op != CompareOp.EQ && op != CompareOp.NE) {
      throw resolver.fail(c.at(), "bools compare only with == and !=");
    }
    return new Cond.Compare(op, texpr(c, l, t, r), texpr(c, r, t, l));
  }

  private static boolean isString(Operand o) {
    return o instanceof StrC || (o instanceof PathOp p && p.access().type() instanceof VType.Str);
  }

  /** The type of a read operand; null for a constant. */
  private VType typeOf(Operand o) {
    if (o instanceof PathOp p) {
      VType t = p.access().type();
      if (t instanceof VType.Nilable) {
        throw resolver.fail(p.at(), describe(o) + " compares only with nil");
      }
      return t;
    }
    if (o instanceof LenOp) {
      return new VType.Int(8, true);
    }
    return null;
  }

  private TExpr texpr(Expr.Compare c, Operand o, VType t, Operand other) {
    if (o instanceof PathOp p) {
      return new TExpr.Load(p.access());
    }
    if (o instanceof LenOp n) {
      return new TExpr.Len(n.access());
    }
    String target = describe(other);
    if (t instanceof VType.Bool) {
      if (o instanceof BoolC b) {
        return new TExpr.Const(b.value() ? 1 : 0, t);
      }
      throw mismatch(c, o, other);
    }
    if (t instanceof VType.Int i) {
      BigInteger v;
      if (o instanceof IntC k) {
        v = k.value();
      } else if (o instanceof FloatC f && f.value() == Math.rint(f.value()) && Math.abs(f.value()) < 0x1p64) {
        v = new BigDecimal(f.value()).toBigInteger();
      } else if (o instanceof FloatC f) {
        throw resolver.fail(o.at(), "the constant " + f.value() + " is not an integer (" + target + ")");
      } else {
        throw mismatch(c, o, other);
      }
      BigInteger min = i.signed() ? BigInteger.ONE.shiftLeft(8 * i.size() - 1).negate() : BigInteger.ZERO;
      BigInteger max = i.signed() ? BigInteger.ONE.shiftLeft(8 * i.size() - 1).subtract(BigInteger.ONE)
          : BigInteger.ONE.shiftLeft(8 * i.size()).subtract(BigInteger.ONE);
      if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
        throw resolver.fail(o.at(), "the constant " + v + " overflows " + target);
      }
      return new TExpr.Const(v.longValue(), t);
    }
    if (t instanceof VType.Float f) {
      double d;
      if (o instanceof IntC k) {
        d = k.value().doubleValue();
      } else if (o instanceof FloatC x) {
        d = x.value();
      } else {
        throw mismatch(c, o, other);
      }
      if (f.size() == 4) {
        if (Float.isInfinite((float) d)) {
          throw resolver.fail(o.at(), "the constant " + d + " overflows " + target);
        }
        return new TExpr.Const(Float.floatToRawIntBits((float) d) & 0xffffffffL, t);
      }
      return new TExpr.Const(Double.doubleToRawLongBits(d), t);
    }
    throw mismatch(c, o, other);
  }

  private boolean foldConstants(Expr.Compare c, Operand l, Operand r) {
    if (l instanceof BoolC a && r instanceof BoolC b) {
      if (c.op() != CompareOp.EQ && c.op() != CompareOp.NE) {
        throw resolver.fail(c.at(), "bools compare only with == and !=");
      }
      return (a.value() == b.value()) == (c.op() == CompareOp.EQ);
    }
    BigDecimal a = number(l);
    BigDecimal b = number(r);
    if (a == null || b == null) {
      throw mismatch(c, l, r);
    }
    return holds(c.op(), a.compareTo(b));
  }

  private static BigDecimal number(Operand o) {
    if (o instanceof IntC i) {
      return new BigDecimal(i.value());
    }
    if (o instanceof FloatC f) {
      return new BigDecimal(f.value());
    }
    return null;
  }

  static boolean holds(CompareOp op, int cmp) {
    return switch (op) {
      case EQ -> cmp == 0;
      case NE -> cmp != 0;
      case LT -> cmp < 0;
      case LE -> cmp <= 0;
      case GT -> cmp > 0;
      case GE -> cmp >= 0;
    };
  }

  /** {@code a op b} as {@code b op' a}. */
  static CompareOp flip(CompareOp op) {
    return switch (op) {
      case LT -> CompareOp.GT;
      case LE -> CompareOp.GE;
      case GT -> CompareOp.LT;
      case GE -> CompareOp.LE;
      default -> op;
    };
  }

  static int compareBytes(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private Cond.Bytes literal(int at, String s) {
    Cond.Bytes b = Cond.Bytes.utf8(s);
    if (b.length() > MAX_LITERAL) {
      throw resolver.fail(at, "a string literal compared is at most " + MAX_LITERAL + " bytes; this one is " + b.length());
    }
    return b;
  }

  private QueryException mismatch(Expr.Compare c, Operand l, Operand r) {
    return resolver.fail(c.at(), "cannot compare " + describe(l) + " with " + describe(r));
  }

  /** "string r.Method", "int 3", "nil". */
  static String describe(Operand o) {
    if (o instanceof PathOp p) {
      return p.access().goType() + " " + p.access().text();
    }
    if (o instanceof LenOp n) {
      return "int len(" + n.access().text() + ")";
    }
    if (o instanceof IntC i) {
      return "int " + i.value();
    }
    if (o instanceof FloatC f) {
      return "float " + f.value();
    }
    if (o instanceof BoolC b) {
      return "bool " + b.value();
    }
    if (o instanceof StrC s) {
      return "string " + KeyValue.StringKey.quote(s.value());
    }
    return "nil";
  }
}
