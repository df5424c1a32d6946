package dev.gotrace.goelf;

import java.nio.file.Path;

/**
 * A Go binary whose version or architecture gotrace does not support. The message names what
 * was found and what is supported.
 */
public final class UnsupportedGoException extends GoBinaryException {
  public UnsupportedGoException(Path file, String message) {
    super(file, message, null);
  }
}
