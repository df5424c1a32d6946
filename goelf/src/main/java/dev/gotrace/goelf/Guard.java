package dev.gotrace.goelf;

import java.nio.file.Path;

/**
 * Converts stray unchecked failures of a parsing stage into {@link CorruptBinaryException}, so
 * that no input, however damaged, makes a public entry point throw anything but the four
 * {@link GoBinaryException} kinds. A bug shows up as "decoding STAGE: internal error ...".
 */
final class Guard {
  @FunctionalInterface
  interface Body<T> {
    T run() throws GoBinaryException;
  }

  private Guard() {}

  static <T> T stage(Path file, String stage, Body<T> body) throws GoBinaryException {
    try {
      return body.run();
    } catch (GoBinaryException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError | InternalError e) {
      // InternalError: a fault while reading a mapped file that shrank underneath us.
      throw new CorruptBinaryException(file, stage, 0,
          "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
