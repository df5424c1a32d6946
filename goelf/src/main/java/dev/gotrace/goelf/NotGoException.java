package dev.gotrace.goelf;

import java.nio.file.Path;

/** The file is a valid ELF file but holds no Go program (no pclntab, no build info). */
public final class NotGoException extends GoBinaryException {
  public NotGoException(Path file, String message) {
    super(file, message, null);
  }
}
