package dev.gotrace.cli;

import dev.gotrace.core.target.Discovery;
import dev.gotrace.core.target.Processes;
import dev.gotrace.goelf.match.NamePattern;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every tracing command shares: the target ({@code [BINARY] [-p PID]... [-- COMMAND
 * ARGS...]}, the positional words declared by each kind of command: {@link PatternOptions} adds
 * function patterns) and when to stop ({@code --duration}, {@code --count}). Options that only
 * some commands take ({@code --json}, {@code --jfr}, {@code --max-sites}) are declared by those
 * commands, so that no help lists an option its command refuses.
 */
abstract class TraceOptions {
  @Spec CommandSpec spec;

  @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "Trace this process (repeatable).")
  List<Integer> pids = new ArrayList<>();

  @Option(names = "--duration", paramLabel = "TIME", description = "Stop after this long: 10s, 500ms, 2m, 1h.")
  String duration;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  long count;

  /** The positional words as given: [BINARY] and patterns, then the COMMAND after {@code --}. */
  abstract List<String> positional();

  /** Set by Ctrl-C or SIGTERM (the shutdown hook); the run then ends, detaches and summarises. */
  final AtomicBoolean stop = new AtomicBoolean();

  /** The body of a tracing command, given its output writers; returns the exit code. */
  @FunctionalInterface
  interface Body {
    int run(PrintWriter out, PrintWriter err) throws Exception;
  }

  /**
   * Runs {@code body} so that Ctrl-C or SIGTERM ends it cleanly: the shutdown hook sets
   * {@link #stop} and waits (up to 5 s) for the body to detach and print its summary. What it
   * throws reaches the user through {@link Errors}, the one place exceptions get exit codes.
   */
  final int traced(Body body) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      synchronized (stop) { // wakes a TraceRun.pause at once
        stop.set(true);
        stop.notifyAll();
      }
      try {
        finished.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gotrace-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      parsedDuration();
      return body.run(out, err);
    } finally {
      out.flush();
      err.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting because of a signal; the hook is running and has now been released
      }
    }
  }

  /** Starts a run of {@code target} with this command's stop flag, --count and --duration. */
  TraceRun startRun(Target target) {
    return TraceRun.start(target, stop, count, parsedDuration());
  }

  /** The resolved target. */
  record Target(Path binary, String display, List<Integer> kernelPids, List<String> command,
      List<NamePattern> patterns) {
    boolean launch() {
      return !command.isEmpty();
    }
  }

  /** Patterns a command uses when the user gives none (empty: a pattern is required). */
  List<String> impliedPatterns() {
    return List.of();
  }

  /** Splits the positional arguments and finds the binary. */
  Target resolveTarget() {
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int dd = original.indexOf("--");
    int commandSize = dd < 0 ? 0 : original.size() - dd - 1;
    List<String> positional = positional();
    List<String> before = positional.subList(0, positional.size() - commandSize);
    List<String> command = List.copyOf(positional.subList(positional.size() - commandSize, positional.size()));
    if (dd >= 0 && command.isEmpty()) {
      throw new UserException(ExitCode.USAGE, "no command after --", "write: gotrace funcs PATTERN -- COMMAND ARGS");
    }
    if (!command.isEmpty() && !pids.isEmpty()) {
      throw new UserException(ExitCode.USAGE, "-p and -- COMMAND exclude each other",
          "trace a running process with -p, or launch one with --");
    }
    Path binary = null;
    List<String> patternText = before;
    if (command.isEmpty() && !before.isEmpty() && looksLikeFile(before.get(0))) {
      binary = Path.of(before.get(0));
      patternText = before.subList(1, before.size());
    }
    if (patternText.isEmpty()) {
      patternText = impliedPatterns();
    }
    if (patternText.isEmpty()) {
      throw new UserException(ExitCode.USAGE, "no function pattern given",
          "write: gotrace " + spec.name() + " [BINARY] PATTERN..., e.g. 'main.*'");
    }
    List<NamePattern> patterns = parsePatterns(patternText);
    if (!command.isEmpty()) {
      Path exe = dev.gotrace.core.target.Launcher.resolve(command.get(0));
      return new Target(exe, exe.toString(), List.of(), command, patterns);
    }
    if (!pids.isEmpty()) {
      Target t = forPids(patterns);
      if (binary != null && !Objects.equals(fileKey(binary), fileKey(t.binary()))) {
        throw new UserException(ExitCode.USAGE, "pid " + pids.get(0) + " does not run " + binary
            + " but " + t.display(), "leave out the BINARY with -p, or give the one the process runs");
      }
      return t;
    }
    if (binary != null) {
      if (!Files.exists(binary)) {
        throw new UserException(ExitCode.NO_TARGET, "no such file: " + binary, "give the path of a Go executable");
      }
      return new Target(binary, binary.toString(), List.of(), List.of(), patterns);
    }
    Discovery.Candidate c = Discovery.single(patterns);
    return new Target(c.binary(), c.exe(), List.of(c.pid()), List.of(), patterns);
  }

  private Target forPids(List<NamePattern> patterns) {
    Path first = null;
    Object firstKey = null;
    for (int pid : pids) {
      if (pid <= 0 || !Processes.alive(pid)) {
        throw new UserException(ExitCode.NO_TARGET, "no process with pid " + pid, "see the running processes with ps");
      }
      Path exe = Processes.executable(pid).orElseThrow(() -> new UserException(ExitCode.NO_PERMISSION,
          "cannot read the executable of pid " + pid, "run as root, or as the process's user with CAP_SYS_PTRACE"));
      Object key = fileKey(exe);
      if (first == null) {
        first = exe;
        firstKey = key;
      } else if (!Objects.equals(firstKey, key)) {
        throw new UserException(ExitCode.USAGE, "pids " + pids + " run different binaries",
            "trace one binary at a time: run gotrace once per binary");
      }
    }
    return new Target(first, Processes.display(first), List.copyOf(pids), List.of(), patterns);
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return p.toString();
    }
  }

  /**
   * Whether the first argument names the BINARY rather than a pattern: an existing file, or a
   * path that cannot be a Go name pattern. A Go name always has a '.' after its package path's
   * last '/' ({@code net/http.Get}), so {@code net/http.*} and {@code re:^internal/} are patterns
   * while {@code ./server}, {@code /usr/bin/x} and {@code bin/server} are files.
   */
  static boolean looksLikeFile(String arg) {
    if (Files.isRegularFile(Path.of(arg))) {
      return true;
    }
    if (arg.startsWith("re:") || arg.indexOf('*') >= 0 || arg.indexOf('?') >= 0) {
      return false;
    }
    if (arg.startsWith("/") || arg.startsWith("./") || arg.startsWith("../")) {
      return true;
    }
    int slash = arg.lastIndexOf('/');
    return slash >= 0 && arg.indexOf('.', slash) < 0;
  }

  static List<NamePattern> parsePatterns(List<String> texts) {
    List<NamePattern> out = new ArrayList<>();
    for (String p : texts) {
      try {
        out.add(NamePattern.parse(p));
      } catch (IllegalArgumentException e) {
        throw new UserException(ExitCode.USAGE, e.getMessage(), "patterns are names (main.f), globs (main.*) or re:REGEX");
      }
    }
    return out;
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  /** {@code --duration} as a Duration, or null when not given. */
  Duration parsedDuration() {
    return parseTime("--duration", duration);
  }

  /** A time option's value ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}), or null when not given. */
  static Duration parseTime(String option, String text) {
    if (text == null) {
      return null;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new UserException(ExitCode.USAGE, "invalid " + option + " '" + text + "'",
          "write a number with a unit: 500ms, 10s, 2m, 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
