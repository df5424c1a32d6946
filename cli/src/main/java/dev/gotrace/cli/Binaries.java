package dev.gotrace.cli;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the binary named on the command line, with user-facing errors for missing files. */
final class Binaries {
  private Binaries() {}

  static GoBinary open(Path path) throws GoBinaryException {
    if (!Files.exists(path)) {
      throw new UserException(ExitCode.NO_TARGET, "no such file: " + path,
          "give the path of a Go executable");
    }
    if (Files.isDirectory(path)) {
      throw new UserException(ExitCode.NOT_GO, path + " is a directory",
          "give the path of a Go executable");
    }
    if (!Files.isReadable(path)) {
      throw new UserException(ExitCode.NO_PERMISSION, "cannot read " + path + ": permission denied",
          "run as a user that can read the file");
    }
    return GoBinary.open(path);
  }
}
