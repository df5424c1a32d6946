package dev.gotrace.core.failure;

/**
 * A failure raised by core itself with the words the user is told (a missing file, a pid that
 * has exited, a bad pattern): {@link Failure#of} hands its {@link #failure()} on unchanged.
 */
public final class FailureException extends RuntimeException {
  private final transient Failure failure;

  public FailureException(Failure.Kind kind, String message, String hint) {
    this(kind, message, hint, null);
  }

  public FailureException(Failure.Kind kind, String message, String hint, Throwable cause) {
    super(message, cause);
    this.failure = new Failure(kind, message, hint);
  }

  public Failure failure() {
    return failure;
  }
}
