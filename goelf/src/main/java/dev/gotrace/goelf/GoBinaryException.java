package dev.gotrace.goelf;

import java.nio.file.Path;

/**
 * Why a file could not be read as a Go binary. Exactly four kinds exist, so that callers (and
 * the CLI's exit codes) can tell "wrong file" from "damaged file" from "too old or too new".
 */
public abstract sealed class GoBinaryException extends Exception
    permits NotElfException, NotGoException, UnsupportedGoException, CorruptBinaryException {

  private final Path file;

  protected GoBinaryException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file being read; may be null when the bytes did not come from a file. */
  public Path file() {
    return file;
  }

  /** The message prefixed with the file name, as the CLI prints it. */
  public String describe() {
    return file == null ? getMessage() : file + ": " + getMessage();
  }
}
