package dev.gotrace.core.target;

import dev.gotrace.core.failure.Failure;
import dev.gotrace.core.failure.FailureException;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Opens the binary a user named, with user-facing failures for a missing file, a directory, and
 * a file this user may not read (itself, or a directory on the way to it).
 */
public final class Binaries {
  private Binaries() {}

  public static GoBinary open(Path path) throws GoBinaryException {
    checkReadable(path);
    return GoBinary.open(path);
  }

  /**
   * The binary of a tracing target. When the target is given pids, a file that is no Go binary
   * (or damaged, or unsupported) is named with them: "pid 42 runs /usr/bin/bash: ...".
   */
  public static GoBinary open(Path path, List<Integer> pids) throws GoBinaryException {
    checkReadable(path);
    try {
      return GoBinary.open(path);
    } catch (GoBinaryException e) {
      if (pids.isEmpty()) {
        throw e;
      }
      Failure f = Failure.ofBinary(e);
      String which = String.join(", ", pids.stream().map(String::valueOf).toList());
      throw new FailureException(f.kind(), "pid " + which + " runs " + f.message(), f.hint(), e);
    }
  }

  /**
   * Refuses a path that does not name a readable regular file: missing (NO_TARGET), a directory
   * (NOT_GO), or not readable by this user (NO_PERMISSION), naming the directory that stops it
   * when one does (stat(2) then fails with EACCES, which is not "no such file").
   */
  public static void checkReadable(Path path) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (AccessDeniedException e) {
      throw denied(path);
    } catch (NoSuchFileException e) {
      throw new FailureException(Failure.Kind.NO_TARGET, "no such file: " + path, "give the path of a Go executable");
    } catch (IOException e) {
      throw new FailureException(Failure.Kind.NO_TARGET, "cannot open " + path + ": " + e.getMessage(),
          "give the path of a Go executable");
    }
    if (attrs.isDirectory()) {
      throw new FailureException(Failure.Kind.NOT_GO, path + " is a directory", "give the path of a Go executable");
    }
    if (!Files.isReadable(path)) {
      throw denied(path);
    }
  }

  private static FailureException denied(Path path) {
    Optional<Path> dir = closedDirectory(path);
    return new FailureException(Failure.Kind.NO_PERMISSION, "cannot read " + path + ": permission denied"
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
