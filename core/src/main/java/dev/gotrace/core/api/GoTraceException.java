package dev.gotrace.core.api;

import dev.gotrace.core.failure.Failure;

/**
 * Tracing could not start or failed: the message is the one line {@code gotrace} prints for the
 * same failure (without its {@code gotrace: } prefix), {@link #hint()} the line it prints after it.
 */
public final class GoTraceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Failure failure;

  GoTraceException(Failure failure, Throwable cause) {
    super(failure.message(), cause);
    this.failure = failure;
  }

  /** The failure {@code cause} is, in the words of {@link Failure#of}. */
  static GoTraceException of(Throwable cause) {
    return new GoTraceException(Failure.of(cause), cause);
  }

  /** What failed, its kind and the hint. */
  public Failure failure() {
    return failure;
  }

  /** What kind of failure (the {@code gotrace} command exits with one code per kind). */
  public Failure.Kind kind() {
    return failure.kind();
  }

  /** What to do about it; null when there is nothing to say. */
  public String hint() {
    return failure.hint();
  }
}
