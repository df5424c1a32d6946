package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.core.plan.Suggestions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells a mistyped BINARY from a function pattern. A Go function's name always has its package
 * before a dot ({@code main.f}, {@code net/http.Get}); a pattern without a dot has a wildcard or
 * is a {@code re:} regular expression. A first argument that is none of these and no file is a
 * file name the user got wrong, not a pattern that would silently match nothing.
 */
final class FileGuess {
  /** Directory entries looked at for a near miss. */
  private static final int SCANNED = 2000;

  private FileGuess() {}

  /** Whether {@code arg} can be a function pattern at all. */
  static boolean plausiblePattern(String arg) {
    return arg.startsWith("re:") || arg.indexOf('.') >= 0 || arg.indexOf('*') >= 0 || arg.indexOf('?') >= 0
        || arg.indexOf('[') >= 0;
  }

  /** Refuses a first argument that is neither an existing file nor a plausible function pattern. */
  static void refuseMistypedFile(String arg) {
    if (plausiblePattern(arg) || arg.indexOf('/') >= 0) {
      return;
    }
    Path p = Path.of(arg);
    if (!Files.exists(p) && !Files.notExists(p)) {
      Binaries.checkReadable(p); // neither known to exist nor not to: the working directory is closed
    }
    throw new UserException(ExitCode.NO_TARGET, "no such file, and not a function pattern: " + arg,
        closeTo(arg).map(f -> "did you mean ./" + f + "? ").orElse("give the path of a Go executable; ")
            + "a function pattern names its package (main.f, main.*) or has a wildcard (*Handler)");
  }

  /**
   * An executable file in the working directory whose name is a small edit away from {@code arg}
   * (one or two characters inserted, deleted or replaced; one for names under five characters).
   */
  static Optional<String> closeTo(String arg) {
    if (arg.indexOf('/') >= 0 || arg.isEmpty()) {
      return Optional.empty();
    }
    int allowed = arg.length() < 5 ? 1 : 2;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int seen = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("."))) {
      for (Path p : dir) {
        if (++seen > SCANNED) {
          break;
        }
        String name = p.getFileName().toString();
        int d = Suggestions.distance(arg, name, allowed);
        if (d > 0 && d <= allowed && d < bestDistance && Files.isRegularFile(p) && Files.isExecutable(p)) {
          best = name;
          bestDistance = d;
        }
      }
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(best);
  }
}
