package dev.gotrace.cli;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Opens the binary named on the command line, with user-facing errors for a missing file, a
 * directory, and a file this user may not read (itself, or a directory on the way to it).
 */
final class Binaries {
  private Binaries() {}

  static GoBinary open(Path path) throws GoBinaryException {
    checkReadable(path);
    return GoBinary.open(path);
  }

  /**
   * The binary of a tracing target. When the target is given pids, a file that is no Go binary
   * (or damaged, or unsupported) is named with them: "pid 42 runs /usr/bin/bash: ...".
   */
  static GoBinary open(TraceOptions.Target target) throws GoBinaryException {
    checkReadable(target.binary());
    try {
      return GoBinary.open(target.binary());
    } catch (GoBinaryException e) {
      if (target.kernelPids().isEmpty()) {
        throw e;
      }
      UserException u = Errors.fromBinary(e);
      String pids = String.join(", ", target.kernelPids().stream().map(String::valueOf).toList());
      throw new UserException(u.exitCode(), "pid " + pids + " runs " + u.getMessage(), u.hint(), e);
    }
  }

  /**
   * Refuses a path that does not name a readable regular file: missing (NO_TARGET), a directory
   * (NOT_GO), or not readable by this user (NO_PERMISSION), naming the directory that stops it
   * when one does (stat(2) then fails with EACCES, which is not "no such file").
   */
  static void checkReadable(Path path) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (AccessDeniedException e) {
      throw denied(path);
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCode.NO_TARGET, "no such file: " + path, "give the path of a Go executable");
    } catch (IOException e) {
      throw new UserException(ExitCode.NO_TARGET, "cannot open " + path + ": " + e.getMessage(),
          "give the path of a Go executable");
    }
    if (attrs.isDirectory()) {
      throw new UserException(ExitCode.NOT_GO, path + " is a directory", "give the path of a Go executable");
    }
    if (!Files.isReadable(path)) {
      throw denied(path);
    }
  }

  private static UserException denied(Path path) {
    Optional<Path> dir = closedDirectory(path);
    return new UserException(ExitCode.NO_PERMISSION, "cannot read " + path + ": permission denied"
        + dir.map(d -> " (directory " + d + " is not open to this user)").orElse(""),
        "run gotrace as root or as a user who can read the file, or copy it somewhere readable");
  }

  /** The first directory on the way to {@code path} that this user cannot search. */
  private static Optional<Path> closedDirectory(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path dir = abs.getRoot();
    for (Path part : abs.getParent() == null ? Path.of("") : abs.getParent()) {
      dir = dir.resolve(part);
      if (!Files.isExecutable(dir)) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
