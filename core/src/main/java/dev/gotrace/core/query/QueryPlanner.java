package dev.gotrace.core.query;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.goelf.arch.Arch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles a {@link Question} for one function: resolves and types {@code --where} and {@code
 * --by} in its {@link Scope}, then splits them between the entry and a return. The top-level
 * {@code &&} conjuncts of the filter that read only parameters decide at the entry; the rest at a
 * return, where each largest subtree on parameters alone is replaced by a bit the entry saved
 * ({@link Cond.Captured}). A key part is read at the entry when it uses parameters, at a return
 * when it uses results; one that mixes both is refused.
 */
public final class QueryPlanner {
  private QueryPlanner() {}

  /**
   * {@code refusal}, of {@code q} in one of several functions a pattern matched ({@code scopes}),
   * with a hint naming those it fits, so that the user can trace them by name; with one function
   * or none that fits, {@code refusal} itself.
   */
  public static QueryException inSome(QueryException refusal, Question q, List<Scope> scopes, boolean exitsAllowed) {
    if (scopes.size() < 2) {
      return refusal;
    }
    List<String> fit = new ArrayList<>();
    for (Scope s : scopes) {
      try {
        plan(q, s, exitsAllowed);
        fit.add(s.function());
      } catch (QueryException e) {
        // does not fit this one either
      }
    }
    if (fit.isEmpty()) {
      return refusal;
    }
    String names = String.join(", ", fit.subList(0, Math.min(3, fit.size())))
        + (fit.size() > 3 ? " and " + (fit.size() - 3) + " more" : "");
    String hint = fit.size() + " of the " + scopes.size() + " matching functions " + (fit.size() == 1 ? "has" : "have")
        + " what it names: " + names + "; name " + (fit.size() == 1 ? "it" : "them") + " instead of the pattern";
    return new QueryException(refusal.text(), refusal.column() - 1, refusal.problem(), Optional.of(hint));
  }

  /**
   * Resolves and type-checks {@code q} in {@code scope}; with {@code exitsAllowed} false (funcs,
   * args, goroutines: decided at the entry) results are refused. Throws {@link QueryException}
   * with the column.
   */
  public static FunctionQuery plan(Question q, Scope scope, boolean exitsAllowed) {
    if (!q.isEmpty() && scope.arch() != Arch.AMD64) {
      String text = q.where().isPresent() ? q.whereText() : q.byText();
      throw new QueryException(text, 0, "--where and --by compile for amd64 only, not " + scope.arch().goArch());
    }
    Optional<Cond> entry = Optional.empty();
    Optional<Cond> exit = Optional.empty();
    List<Cond> captures = new ArrayList<>();
    if (q.where().isPresent()) {
      Cond c = typed(q, scope, exitsAllowed);
      List<Cond> atEntry = new ArrayList<>();
      List<Cond> atExit = new ArrayList<>();
      for (Cond k : conjuncts(c)) {
        if (k instanceof Cond.Truth t && t.value()) {
          continue;
        }
        (Uses.of(k).results() ? atExit : atEntry).add(k);
      }
      entry = and(atEntry);
      exit = and(atExit.stream().map(k -> capture(k, captures, q.whereText())).toList());
      if (exit.isPresent() && Uses.of(exit.get()).movable()) {
        throw new QueryException(q.whereText(), 0, pieAtReturn(q.whereText()));
      }
    }
    return new FunctionQuery(entry, exit, captures, keys(q, scope, exitsAllowed));
  }

  /** The filter as one typed tree, before the split (tests check the split against it). */
  static Cond typed(Question q, Scope scope, boolean exitsAllowed) {
    return new Typer(new Resolver(scope, q.whereText(), exitsAllowed)).cond(q.where().orElseThrow());
  }

  private static KeyLayout keys(Question q, Scope scope, boolean exitsAllowed) {
    Resolver r = new Resolver(scope, q.byText(), exitsAllowed);
    Typer typer = new Typer(r);
    List<KeyPart> parts = new ArrayList<>();
    int offset = KeyLayout.HEADER;
    for (ExprParser.Item item : q.by()) {
      int index = parts.size();
      if (index >= 32) {
        throw r.fail(item.expr().at(), "at most 32 --by parts");
      }
      Expr e = item.expr();
      KeyPart.Kind kind;
      KeyPart.Source source;
      int size = 8;
      Uses uses;
      if (e instanceof Expr.Compare || e instanceof Expr.Logical || e instanceof Expr.Not
          || (e instanceof Expr.Call c && c.function() != Expr.Function.LEN)) {
        Cond c = typer.cond(e);
        kind = KeyPart.Kind.BOOL;
        source = new KeyPart.Test(c);
        uses = Uses.of(c);
      } else {
        Typer.Operand o = typer.operand(e);
        Access a;
        if (o instanceof Typer.LenOp n) {
          a = n.access();
          kind = KeyPart.Kind.INT;
          source = new KeyPart.Value(new TExpr.Len(a));
        } else if (o instanceof Typer.PathOp p) {
          a = p.access();
          VType t = a.type();
          if (t instanceof VType.Str) {
            kind = KeyPart.Kind.STRING;
            source = new KeyPart.Text(a, q.keyBytes());
            size = 8 + (q.keyBytes() + 7) / 8 * 8;
          } else if (t instanceof VType.Nilable) {
            throw r.fail(e.at(), "cannot key by " + a.goType() + " " + a.text() + "; key by '" + a.text()
                + " != nil' or one of its fields");
          } else {
            kind = t instanceof VType.Bool ? KeyPart.Kind.BOOL : t instanceof VType.Float ? KeyPart.Kind.FLOAT
                : ((VType.Int) t).signed() ? KeyPart.Kind.INT : KeyPart.Kind.UINT;
            source = new KeyPart.Value(new TExpr.Load(a));
          }
        } else {
          throw r.fail(e.at(), "a constant is one key for every call; --by reads the call (" + item.text() + ")");
        }
        uses = Uses.of(a);
      }
      if (uses.params() && uses.results()) {
        throw r.fail(e.at(), "the --by part '" + item.text() + "' mixes arguments and results; one part is read"
            + " either at the entry or at a return", "split it into two parts");
      }
      if (uses.results() && uses.movable()) {
        throw r.fail(e.at(), pieAtReturn(item.text()));
      }
      if (!uses.params() && !uses.results()) {
        throw r.fail(e.at(), "a constant is one key for every call; --by reads the call (" + item.text() + ")");
      }
      parts.add(new KeyPart(item.text(), index, kind, source, uses.results(), offset, size));
      offset += size;
      if (offset > KeyLayout.MAX_SIZE) {
        throw r.fail(e.at(), "the key is " + offset + " bytes with '" + item.text() + "', more than "
            + KeyLayout.MAX_SIZE, "lower --key-bytes (now " + q.keyBytes() + ") or key by fewer parts");
      }
    }
    return new KeyLayout(parts, q.keyBytes());
  }

  private static String pieAtReturn(String text) {
    return "'" + text + "' compares a package variable with a result: in a position-independent binary package"
        + " variables are read at the entry only (compare each with a constant)";
  }

  /** Whether a condition reads parameters, results. */
  record Uses(boolean params, boolean results, boolean movable) {
    static Uses of(Cond c) {
      boolean[] u = new boolean[3];
      walk(c, u);
      return new Uses(u[0], u[1], u[2]);
    }

    /** Of one access; {@code movable}: a PIE's package variable, whose bias only the entry probe computes. */
    static Uses of(Access a) {
      boolean[] u = new boolean[3];
      mark(a, u);
      return new Uses(u[0], u[1], u[2]);
    }

    private static void walk(Cond c, boolean[] u) {
      if (c instanceof Cond.And a) {
        walk(a.left(), u);
        walk(a.right(), u);
      } else if (c instanceof Cond.Or o) {
        walk(o.left(), u);
        walk(o.right(), u);
      } else if (c instanceof Cond.Not n) {
        walk(n.operand(), u);
      } else if (c instanceof Cond.IsTrue t) {
        mark(t.access(), u);
      } else if (c instanceof Cond.Compare k) {
        mark(k.left(), u);
        mark(k.right(), u);
      } else if (c instanceof Cond.StrCompare s) {
        mark(s.string(), u);
      } else if (c instanceof Cond.HasAffix h) {
        mark(h.string(), u);
      } else if (c instanceof Cond.IsNil n) {
        mark(n.access(), u);
      }
    }

    private static void mark(TExpr e, boolean[] u) {
      if (e instanceof TExpr.Load l) {
        mark(l.access(), u);
      } else if (e instanceof TExpr.Len n) {
        mark(n.access(), u);
      }
    }

    private static void mark(Access a, boolean[] u) {
      u[a.result() ? 1 : 0] = true;
      if (a.root().pieces().stream().anyMatch(p -> p.where() instanceof ArgLocation.Static s
          && s.site().isPresent())) {
        u[2] = true;
      }
    }
  }

  private static List<Cond> conjuncts(Cond c) {
    List<Cond> out = new ArrayList<>();
    if (c instanceof Cond.And a) {
      out.addAll(conjuncts(a.left()));
      out.addAll(conjuncts(a.right()));
    } else {
      out.add(c);
    }
    return out;
  }

  private static Optional<Cond> and(List<Cond> cs) {
    Cond out = null;
    for (Cond c : cs) {
      out = out == null ? c : new Cond.And(out, c);
    }
    return Optional.ofNullable(out);
  }

  /** {@code c} with each largest subtree on parameters alone replaced by a captured bit. */
  private static Cond capture(Cond c, List<Cond> captures, String text) {
    Uses u = Uses.of(c);
    if (u.params() && !u.results()) {
      int i = captures.indexOf(c);
      if (i < 0) {
        if (captures.size() == 64) {
          throw new QueryException(text, 0, "more than 64 conditions on arguments are decided at the entry for a return");
        }
        captures.add(c);
        i = captures.size() - 1;
      }
      return new Cond.Captured(i);
    }
    if (c instanceof Cond.And a) {
      return new Cond.And(capture(a.left(), captures, text), capture(a.right(), captures, text));
    }
    if (c instanceof Cond.Or o) {
      return new Cond.Or(capture(o.left(), captures, text), capture(o.right(), captures, text));
    }
    if (c instanceof Cond.Not n) {
      return new Cond.Not(capture(n.operand(), captures, text));
    }
    return c;
  }
}
