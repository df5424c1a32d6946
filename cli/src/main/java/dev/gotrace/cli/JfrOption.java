package dev.gotrace.cli;

import dev.gotrace.cli.jfr.JfrRecorder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --jfr FILE} of funcs, args, latency and goroutines: each command declares the option
 * itself, so that its help names the event type it writes.
 */
final class JfrOption {
  private JfrOption() {}

  /** The option's help: what it writes, and how to read it back. */
  static final String HELP = "Also write a JDK Flight Recorder recording (events of the category Go) to FILE"
      + " when the trace ends: ";

  /** A started recording, or null without --jfr. */
  static JfrRecorder open(Path file) {
    if (file == null) {
      return null;
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(file)) {
      throw new UserException(ExitCode.USAGE, "cannot write the recording " + file + ": "
          + (Files.isDirectory(file) ? "it is a directory" : "no directory " + dir), "give a file in an existing directory");
    }
    return JfrRecorder.start(file);
  }

  /** Writes the recording and says so on {@code err}. */
  static void finish(JfrRecorder rec, PrintWriter err) {
    if (rec == null) {
      return;
    }
    rec.close();
    err.println("gotrace: wrote " + rec.events() + " events to " + rec.file()
        + (rec.exactTimes() ? "" : " (timed when read: this JDK does not let gotrace set event times)"));
    err.flush();
  }
}
