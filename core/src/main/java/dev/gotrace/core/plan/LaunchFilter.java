package dev.gotrace.core.plan;

import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.ExprException;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code gotrace goroutines --where EXPR}: which launches to report, decided by the launched
 * function. The one value is {@code fn}, the name a launch line shows first: the function a
 * compiler-made {@code go} wrapper calls ({@link GoWrappers}), else the function the new
 * goroutine starts in. newproc1's own parameters are runtime values no user asks about, so the
 * expression is evaluated here, at plan time, once per function of the binary; what the kernel
 * gets is the link-time PC ranges of the functions that pass, which the launch program compares
 * the started function's entry with ({@code codegen/LaunchProgram}).
 *
 * @param text the expression as given
 * @param ranges the link-time {@code [start, end)} of each run of consecutive passing functions,
 *     in address order, not overlapping
 * @param functions how many functions pass
 */
public record LaunchFilter(String text, List<Range> ranges, int functions) {
  /** More ranges than this are refused: each costs a few instructions of the launch program. */
  public static final int MAX_RANGES = 1024;
  private static final Pattern WRAPPER_NAME = Pattern.compile(".*\\.(gowrap\\d+|func\\d+(\\.\\d+)*)$");

  public LaunchFilter {
    ranges = List.copyOf(ranges);
  }

  /** Link-time {@code [start, end)}. */
  public record Range(long start, long end) {}

  /**
   * The filter {@code where} (parsed from {@code text}) makes of {@code bin}'s functions.
   *
   * @throws ExprException with the column, when the expression names anything but {@code fn} or
   *     mixes types, when no function passes, or when the passing functions make more than
   *     {@link #MAX_RANGES} ranges
   */
  public static LaunchFilter of(Expr where, String text, GoBinary bin) {
    new Checker(text).bool(where);
    List<GoFunc> all = new ArrayList<>(bin.functions());
    all.sort(Comparator.comparingLong(GoFunc::entry));
    List<Range> ranges = new ArrayList<>();
    int passing = 0;
    long start = -1;
    long end = -1;
    for (GoFunc f : all) {
      String fn = f.name();
      if (WRAPPER_NAME.matcher(fn).matches()) {
        fn = GoWrappers.target(bin, f.entry()).orElse(fn);
      }
      if (!truth(where, fn)) {
        continue;
      }
      passing++;
      if (start >= 0 && f.entry() <= end) {
        end = Math.max(end, f.end());
        continue;
      }
      if (start >= 0) {
        ranges.add(new Range(start, end));
      }
      start = f.entry();
      end = f.end();
    }
    if (start >= 0) {
      ranges.add(new Range(start, end));
    }
    if (passing == 0) {
      throw new ExprException(text, 0, "no function of " + bin.path().getFileName() + " passes it (fn is the"
          + " launched function's name, e.g. fn == \"main.worker\")");
    }
    ranges = merge(ranges, all);
    if (ranges.size() > MAX_RANGES) {
      throw new ExprException(text, 0, "the functions it selects make " + ranges.size() + " address ranges,"
          + " more than the " + MAX_RANGES + " a launch probe checks");
    }
    return new LaunchFilter(text, ranges, passing);
  }

  /**
   * Joins ranges that only padding separates (no function between them): one compare pair fewer
   * each, the same launches.
   */
  private static List<Range> merge(List<Range> ranges, List<GoFunc> sorted) {
    List<Range> out = new ArrayList<>();
    int fi = 0;
    for (Range r : ranges) {
      if (!out.isEmpty()) {
        Range last = out.get(out.size() - 1);
        while (fi < sorted.size() && sorted.get(fi).entry() < last.end()) {
          fi++;
        }
        boolean between = fi < sorted.size() && sorted.get(fi).entry() < r.start();
        if (!between) {
          out.set(out.size() - 1, new Range(last.start(), r.end()));
          continue;
        }
      }
      out.add(r);
    }
    return out;
  }

  /** Whether the started function's entry (link-time) is one of the passing functions'. */
  public boolean passes(long entry) {
    for (Range r : ranges) {
      if (entry >= r.start() && entry < r.end()) {
        return true;
      }
    }
    return false;
  }

  /** The value of {@code e} when {@code fn} is {@code name}; {@code e} is type-checked. */
  static boolean truth(Expr e, String name) {
    if (e instanceof Expr.BoolLit b) {
      return b.value();
    }
    if (e instanceof Expr.Not n) {
      return !truth(n.operand(), name);
    }
    if (e instanceof Expr.Logical l) {
      return l.and() ? truth(l.left(), name) && truth(l.right(), name)
          : truth(l.left(), name) || truth(l.right(), name);
    }
    if (e instanceof Expr.Call c && c.function() == Expr.Function.HAS_PREFIX) {
      return name.startsWith(literal(c.args().get(1)));
    }
    if (e instanceof Expr.Call c && c.function() == Expr.Function.HAS_SUFFIX) {
      return name.endsWith(literal(c.args().get(1)));
    }
    if (e instanceof Expr.Compare c) {
      return compare(c, name);
    }
    throw new IllegalStateException("not a condition: " + e);
  }

  private static boolean compare(Expr.Compare c, String name) {
    int order;
    if (isLen(c.left()) || isLen(c.right())) { // len(fn) against an int
      long len = name.getBytes(StandardCharsets.UTF_8).length;
      boolean lenLeft = isLen(c.left());
      long lit = ((Expr.IntLit) (lenLeft ? c.right() : c.left())).value();
      order = lenLeft ? Long.compare(len, lit) : Long.compare(lit, len);
    } else if (!(c.left() instanceof Expr.StringLit) && !(c.right() instanceof Expr.StringLit)) {
      order = Boolean.compare(truth(c.left(), name), truth(c.right(), name));
    } else {
      boolean fnLeft = c.left() instanceof Expr.Path;
      String lit = literal(fnLeft ? c.right() : c.left());
      int o = compareBytes(name, lit); // Go compares strings bytewise
      order = fnLeft ? o : -o;
    }
    return switch (c.op()) {
      case EQ -> order == 0;
      case NE -> order != 0;
      case LT -> order < 0;
      case LE -> order <= 0;
      case GT -> order > 0;
      case GE -> order >= 0;
    };
  }

  private static boolean isLen(Expr e) {
    return e instanceof Expr.Call c && c.function() == Expr.Function.LEN;
  }

  private static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  private static String literal(Expr e) {
    return e instanceof Expr.StringLit s ? s.value() : "";
  }

  /** The types of the goroutines language: {@code fn} is a string, and the condition a bool. */
  private record Checker(String text) {
    private enum T { STRING, INT, BOOL }

    void bool(Expr e) {
      if (type(e) != T.BOOL) {
        throw fail(e, "the condition is " + name(type(e)) + ", not a bool");
      }
    }

    T type(Expr e) {
      if (e instanceof Expr.BoolLit) {
        return T.BOOL;
      }
      if (e instanceof Expr.StringLit) {
        return T.STRING;
      }
      if (e instanceof Expr.IntLit) {
        return T.INT;
      }
      if (e instanceof Expr.FloatLit) {
        throw fail(e, "fn is a string; no float applies to it");
      }
      if (e instanceof Expr.Nil) {
        throw fail(e, "fn is a function's name, a string: it is never nil");
      }
      if (e instanceof Expr.Path p) {
        if (!p.root().equals("fn")) {
          throw fail(p, "goroutines --where knows only fn, the launched function's name"
              + " (runtime.newproc1's own values are the runtime's, not the program's)");
        }
        if (!p.fields().isEmpty()) {
          throw fail(p, "fn is a string; it has no field " + p.fields().get(0));
        }
        return T.STRING;
      }
      if (e instanceof Expr.Not n) {
        bool(n.operand());
        return T.BOOL;
      }
      if (e instanceof Expr.Logical l) {
        bool(l.left());
        bool(l.right());
        return T.BOOL;
      }
      if (e instanceof Expr.Call c) {
        return call(c);
      }
      return compare((Expr.Compare) e);
    }

    private T call(Expr.Call c) {
      Expr first = c.args().get(0);
      if (!(first instanceof Expr.Path)) {
        throw fail(first, c.function().text() + " takes fn here");
      }
      type(first);
      if (c.function() == Expr.Function.LEN) {
        return T.INT;
      }
      if (!(c.args().get(1) instanceof Expr.StringLit)) {
        throw fail(c.args().get(1), c.function().text() + "'s second argument must be a string literal");
      }
      return T.BOOL;
    }

    private T compare(Expr.Compare c) {
      T l = type(c.left());
      T r = type(c.right());
      if (l != r) {
        throw fail(c.right(), "cannot compare " + name(l) + " with " + name(r));
      }
      if (l == T.BOOL && c.op() != Expr.CompareOp.EQ && c.op() != Expr.CompareOp.NE) {
        throw fail(c, "bools compare only with == and !=");
      }
      boolean lPath = isFn(c.left());
      boolean rPath = isFn(c.right());
      if (l == T.STRING && lPath == rPath) {
        throw fail(c, "compare fn with a string literal");
      }
      if (l == T.INT && isLen(c.left()) == isLen(c.right())) {
        throw fail(c, "compare len(fn) with an integer literal");
      }
      return T.BOOL;
    }

    private static boolean isFn(Expr e) {
      return e instanceof Expr.Path;
    }

    private static String name(T t) {
      return switch (t) {
        case STRING -> "a string";
        case INT -> "an int";
        case BOOL -> "a bool";
      };
    }

    private ExprException fail(Expr at, String problem) {
      return new ExprException(text, at.at(), problem);
    }
  }
}
