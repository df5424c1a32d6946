package dev.gotrace.cli;

import dev.gotrace.probes.sys.Sys;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;

/**
 * gotrace's standard output: buffered (64 KiB) on file descriptor 1 itself, not on
 * {@code System.out}, whose PrintStream would swallow a write error, so that
 * {@link #readerGone()} can tell when nobody reads it any more ({@code gotrace funcs ... | head -1}):
 * a write failed (EPIPE; the JVM ignores SIGPIPE), or the reading end is closed already though
 * nothing was written since.
 */
final class StandardOutput extends PrintWriter {
  private static final int FD = 1;

  StandardOutput() {
    super(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out)), 1 << 16), false);
  }

  /** Flushes; true when a write failed or the reader of the pipe (or socket) has gone. */
  boolean readerGone() {
    return checkError() || Sys.readerGone(FD);
  }

  /** Whether {@code out} can no longer be written: {@link #readerGone()}, or a failed write. */
  static boolean closed(PrintWriter out) {
    return out instanceof StandardOutput s ? s.readerGone() : out.checkError();
  }
}
