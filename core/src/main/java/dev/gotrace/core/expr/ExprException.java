package dev.gotrace.core.expr;

/**
 * An expression that does not parse: what was wrong, and where ({@link #column()}, 1-based, in
 * {@link #text()}). The message reads on one line: {@code expected a value at column 6 of 'x == '}.
 */
public final class ExprException extends RuntimeException {
  private final String text;
  private final int column;
  private final String problem;

  public ExprException(String text, int offset, String problem) {
    super(problem + " at column " + (offset + 1) + " of '" + text + "'");
    this.text = text;
    this.column = offset + 1;
    this.problem = problem;
  }

  public String text() {
    return text;
  }

  /** 1-based column of the problem. */
  public int column() {
    return column;
  }

  /** The problem without its position. */
  public String problem() {
    return problem;
  }
}
