package dev.gotrace.cli;

/**
 * A failure to report to the user as one line, {@code gotrace: <message>}, with an optional
 * hint on the next line and a specific exit code. Never printed with a stack trace unless
 * {@code --debug} is given.
 */
public final class UserException extends RuntimeException {
  private final ExitCode exitCode;
  private final String hint;

  public UserException(ExitCode exitCode, String message, String hint) {
    this(exitCode, message, hint, null);
  }

  public UserException(ExitCode exitCode, String message, String hint, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** What the user can do about it; may be null. */
  public String hint() {
    return hint;
  }
}
