package dev.gotrace.core.target;

/** The target cannot be found or started; the message says which, the hint what to do. */
public final class TargetException extends RuntimeException {
  /** Why. */
  public enum Kind {
    /** The process, file or command does not exist. */
    NOT_FOUND,
    /** Discovery found several processes; the user must choose. */
    AMBIGUOUS,
    /** The command could not be started, or the target is unusable. */
    FAILED
  }

  private final Kind kind;
  private final String hint;

  public TargetException(Kind kind, String message, String hint) {
    super(message);
    this.kind = kind;
    this.hint = hint;
  }

  public TargetException(Kind kind, String message, String hint, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.hint = hint;
  }

  public Kind kind() {
    return kind;
  }

  public String hint() {
    return hint;
  }
}
