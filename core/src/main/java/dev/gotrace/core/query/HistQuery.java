package dev.gotrace.core.query;

import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.probes.asm.Item;
import java.util.List;
import java.util.Optional;

/**
 * One function's compiled {@code --hist EXPR}: the value to aggregate, read at the probe, with the
 * {@code --where} that decides whether a call counts and the {@code --by} key it counts under.
 *
 * @param query the filter and key parts, all decided at the probe
 * @param value an integer or float: a path's value or {@code len(s)}
 * @param text the expression as written
 */
public record HistQuery(FunctionQuery query, TExpr value, String text) {
  /** What kind of value a histogram counts; its buckets follow from it (see {@code agg.ValueHistogram}). */
  public enum Kind { SIGNED, UNSIGNED, FLOAT32, FLOAT64 }

  public Kind kind() {
    VType t = value.type();
    if (t instanceof VType.Float f) {
      return f.size() == 4 ? Kind.FLOAT32 : Kind.FLOAT64;
    }
    return ((VType.Int) t).signed() ? Kind.SIGNED : Kind.UNSIGNED;
  }

  /** Parses {@code --hist}'s expression (a refusal is a {@link QueryException} with the column). */
  public static Expr parse(String text) {
    try {
      return ExprParser.parse(text);
    } catch (ExprException e) {
      throw QueryException.of(e);
    }
  }

  /**
   * Compiles {@code hist} (parsed from {@code text}) with {@code q} in {@code scope}: the value must
   * be an integer or a float (a bool, string, pointer or struct is refused), readable at the entry.
   */
  public static HistQuery plan(Question q, String text, Expr hist, Scope scope) {
    FunctionQuery f = QueryPlanner.plan(q, scope, false);
    Resolver r = new Resolver(scope, text, false);
    Typer.Operand o = new Typer(r).operand(hist);
    TExpr value;
    if (o instanceof Typer.LenOp n) {
      value = new TExpr.Len(n.access());
    } else if (o instanceof Typer.PathOp p && (p.access().type() instanceof VType.Int
        || p.access().type() instanceof VType.Float)) {
      value = new TExpr.Load(p.access());
    } else if (o instanceof Typer.PathOp p) {
      throw r.fail(hist.at(), "--hist counts integers and floats; " + p.access().text() + " is " + p.access().goType(),
          p.access().type() instanceof VType.Str ? "histogram its length: len(" + p.access().text() + ")"
              : "use --by " + p.access().text() + " to count calls per value");
    } else {
      throw r.fail(hist.at(), "--hist takes a value read at the call (a parameter, a field, a package variable"
          + " or len(...)), not a constant");
    }
    return new HistQuery(f, value, text);
  }

  /** The code that puts the value into R0, jumping to {@code fault} when it cannot be read. */
  public List<Item> load(Window w, String prefix, String fault) {
    Emitter e = new Emitter(w, prefix);
    e.scalarInto(value, fault);
    return e.items();
  }

  /** The value in user space over recorded bytes (the oracle of the emitted code): empty when unreadable. */
  public Optional<Long> evaluate(Evaluator ev) {
    return ev.scalar(value, true);
  }
}
