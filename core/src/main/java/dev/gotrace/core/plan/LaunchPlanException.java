package dev.gotrace.core.plan;

/** A refusal to plan {@code gotrace goroutines}, with what the user can do about it. */
public final class LaunchPlanException extends RuntimeException {
  /** What kind of refusal, for the exit code. */
  public enum Kind {
    /** The binary has no usable {@code runtime.newproc1}. */
    NO_NEWPROC,
    /** A Go version or architecture whose layout gotrace does not know. */
    UNSUPPORTED
  }

  private final Kind kind;
  private final String hint;

  public LaunchPlanException(Kind kind, String message, String hint) {
    super(message);
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
