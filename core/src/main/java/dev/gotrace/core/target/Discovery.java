package dev.gotrace.core.target;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds running Go processes whose binary has functions matching some patterns. */
public final class Discovery {
  /**
   * A running process that qualifies.
   *
   * @param pid its pid
   * @param binary a path to its executable that this process can open
   * @param exe its executable as the process sees it
   * @param goVersion the binary's Go version
   */
  public record Candidate(int pid, Path binary, String exe, String goVersion) {}

  private Discovery() {}

  /** Every process (except this JVM) whose executable is a Go binary matching {@code patterns}. */
  public static List<Candidate> find(List<NamePattern> patterns) {
    long self = ProcessHandle.current().pid();
    Map<String, Optional<String>> verdicts = new HashMap<>();
    List<Candidate> out = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        int pid;
        try {
          pid = Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid == self) {
          continue;
        }
        Optional<String> exe = Processes.exeName(pid);
        Optional<Path> bin = Processes.executable(pid);
        if (exe.isEmpty() || bin.isEmpty()) {
          continue;
        }
        String key = exe.get() + "|" + fileKey(bin.get());
        Optional<String> version = verdicts.computeIfAbsent(key, k -> matches(bin.get(), patterns));
        version.ifPresent(v -> out.add(new Candidate(pid, bin.get(), exe.get(), v)));
      }
    } catch (IOException e) {
      throw new TargetException(TargetException.Kind.FAILED, "cannot list /proc: " + e.getMessage(),
          "gotrace runs on Linux with /proc mounted");
    }
    out.sort(Comparator.comparingInt(Candidate::pid));
    return out;
  }

  private static String fileKey(Path p) {
    try {
      Object k = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
      return String.valueOf(k);
    } catch (IOException e) {
      return p.toString();
    }
  }

  /** The Go version when {@code bin} is a Go binary with a matching function. */
  private static Optional<String> matches(Path bin, List<NamePattern> patterns) {
    try (GoBinary b = GoBinary.open(bin)) {
      for (NamePattern p : patterns) {
        if (!b.functions(p).isEmpty()) {
          return Optional.of(b.goVersion().toString());
        }
      }
      return Optional.empty();
    } catch (GoBinaryException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Candidates listed in a message: the rest are counted. */
  static final int LISTED = 20;
  /** Characters of a command line shown per candidate. */
  static final int COMMAND_LINE = 72;

  /**
   * The one candidate, or a {@link TargetException}: none (NOT_FOUND) or several (AMBIGUOUS: a
   * first line saying how many, then one line per process with pid, Go version and command line).
   *
   * @param asked what the user typed that the processes were matched on ("a function matching
   *     main.*"), or empty when they typed nothing (every Go process qualifies)
   * @param pickExample the user's command with {@code -p PID} in it, for the hint
   */
  public static Candidate single(List<NamePattern> patterns, Optional<String> asked, String pickExample) {
    List<Candidate> found = find(patterns);
    if (found.isEmpty()) {
      throw new TargetException(TargetException.Kind.NOT_FOUND,
          "no running Go process" + asked.map(a -> " has " + a).orElse(" found"),
          "start the program, or name it: a BINARY, -p PID, or -- COMMAND");
    }
    if (found.size() > 1) {
      throw new TargetException(TargetException.Kind.AMBIGUOUS, listing(found, asked),
          "pick one with -p PID (" + pickExample + "), or name the BINARY to trace every process running it");
    }
    return found.get(0);
  }

  /** "3 running Go processes have a function matching main.*:" and one line per process. */
  static String listing(List<Candidate> found, Optional<String> asked) {
    StringBuilder sb = new StringBuilder().append(found.size())
        .append(asked.map(a -> " running Go processes have " + a).orElse(" Go processes are running"))
        .append(':');
    int versionWidth = found.stream().mapToInt(c -> c.goVersion().length()).max().orElse(0);
    for (Candidate c : found.subList(0, Math.min(LISTED, found.size()))) {
      String line = Processes.commandLine(c.pid(), COMMAND_LINE).orElse(c.exe());
      sb.append(String.format("%n  %7d  %-" + versionWidth + "s  %s", c.pid(), c.goVersion(), line));
    }
    if (found.size() > LISTED) {
      sb.append(String.format("%n  ... and %d more", found.size() - LISTED));
    }
    return sb.toString();
  }
}
