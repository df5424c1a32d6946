package dev.gotrace.cli;

import dev.gotrace.cli.jfr.JfrRecorder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --jfr FILE}, shared by funcs, args, latency and goroutines. */
final class JfrOption {
  @Option(names = "--jfr", paramLabel = "FILE", description = "Also write a JDK Flight Recorder recording of the"
      + " trace to FILE (open it in JDK Mission Control, or: jfr print --events gotrace.GoCall FILE).")
  Path file;

  /** A started recording, or null without --jfr. */
  JfrRecorder open() {
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
