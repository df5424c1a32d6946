package dev.gotrace.goelf;

import java.nio.file.Path;

/**
 * A Go binary whose bytes contradict themselves: a truncated table, a count larger than its
 * section, an offset out of range. The message names the section and the offset, as in
 * "decoding .gopclntab at 0x1a2b: truncated function table".
 */
public final class CorruptBinaryException extends GoBinaryException {
  private final String section;
  private final long offset;

  public CorruptBinaryException(Path file, String section, long offset, String what) {
    this(file, section, offset, what, null);
  }

  public CorruptBinaryException(Path file, String section, long offset, String what, Throwable cause) {
    super(file, "decoding " + section + " at 0x" + Long.toHexString(offset) + ": " + what, cause);
    this.section = section;
    this.offset = offset;
  }

  public String section() {
    return section;
  }

  public long offset() {
    return offset;
  }
}
