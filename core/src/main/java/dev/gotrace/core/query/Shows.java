package dev.gotrace.core.query;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.expr.ExprParser;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --show NAMES}: package variables (or fields of them) read at each event and shown beside
 * it, decoded as arguments are. Each name becomes a value whose one piece is the variable's
 * memory ({@link dev.gotrace.core.abi.ArgLocation.Static}).
 *
 * @param text the option as given ("main.requests,main.cfg.Mode")
 * @param paths the names, parsed
 */
public record Shows(String text, List<Expr.Path> paths) {
  /** At most this many names. */
  public static final int MAX = 8;

  public Shows {
    paths = List.copyOf(paths);
  }

  /** Nothing shown. */
  public static final Shows NONE = new Shows("", List.of());

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  /** Parses the comma-separated names; a refusal is a {@link QueryException} with the column. */
  public static Shows parse(String text) {
    List<ExprParser.Item> items;
    try {
      items = ExprParser.parseList(text);
    } catch (ExprException e) {
      throw QueryException.of(e);
    }
    List<Expr.Path> out = new ArrayList<>();
    for (ExprParser.Item item : items) {
      if (!(item.expr() instanceof Expr.Path p) || p.fields().isEmpty() || p.position().isPresent()
          || p.type().isPresent()) {
        throw new QueryException(text, item.expr().at(), "--show takes package variables such as main.requests, not '"
            + item.text() + "'");
      }
      out.add(p);
    }
    if (out.size() > MAX) {
      throw new QueryException(text, 0, "at most " + MAX + " names in --show, not " + out.size());
    }
    return new Shows(text, out);
  }

  /** The values to read at a probe of {@code scope}, in order. */
  public List<ParamLayout> resolve(Scope scope) {
    Resolver r = new Resolver(scope, text, false);
    List<ParamLayout> out = new ArrayList<>();
    for (Expr.Path p : paths) {
      out.add(r.shown(p));
    }
    return out;
  }
}
