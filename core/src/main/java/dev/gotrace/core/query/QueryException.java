package dev.gotrace.core.query;

import dev.gotrace.core.expr.ExprException;
import java.util.Optional;

/**
 * A {@code --where} or {@code --by} expression gotrace refuses, at parse or plan time: what is
 * wrong ({@link #problem()}), where ({@link #column()}, 1-based, in {@link #text()}), and a hint
 * where one helps. The message is one line: {@code main.handler has no parameter req; it has w, r
 * (column 1 of 'req.URL.Path == "/"')}.
 */
public final class QueryException extends RuntimeException {
  private final String text;
  private final int column;
  private final String problem;
  private final Optional<String> hint;

  public QueryException(String text, int offset, String problem, Optional<String> hint) {
    super(problem + " (column " + (Math.max(0, offset) + 1) + " of '" + text + "')");
    this.text = text;
    this.column = Math.max(0, offset) + 1;
    this.problem = problem;
    this.hint = hint;
  }

  public QueryException(String text, int offset, String problem) {
    this(text, offset, problem, Optional.empty());
  }

  /** A parse error, with its column. */
  static QueryException of(ExprException e) {
    QueryException q = new QueryException(e.text(), e.column() - 1, e.problem());
    q.initCause(e);
    return q;
  }

  /** Whether the text did not parse (rather than naming what the function lacks, or mixing types). */
  public boolean unparsed() {
    return getCause() instanceof ExprException;
  }

  public String text() {
    return text;
  }

  /** 1-based column of the problem in {@link #text()}. */
  public int column() {
    return column;
  }

  /** The problem without its position. */
  public String problem() {
    return problem;
  }

  public Optional<String> hint() {
    return hint;
  }
}
