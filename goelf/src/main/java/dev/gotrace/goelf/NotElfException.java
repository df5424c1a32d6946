package dev.gotrace.goelf;

import java.nio.file.Path;

/** The file is not a little-endian ELF file of a class gotrace reads. */
public final class NotElfException extends GoBinaryException {
  public NotElfException(Path file, String message) {
    super(file, message, null);
  }
}
