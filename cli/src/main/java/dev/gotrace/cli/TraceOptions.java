package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.cli.render.NoteText;
import dev.gotrace.core.plan.Note;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.core.target.Discovery;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Pids;
import dev.gotrace.core.plan.Patterns;
import dev.gotrace.core.target.TargetException;
import dev.gotrace.goelf.lines.LineTarget;
import dev.gotrace.goelf.match.NamePattern;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Option(names = "--duration", paramLabel = "TIME", description = "Stop after this long, with a unit: 10s, 1.5s, 500ms, 2m, 1h.")
  String duration;

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
  long count;

  /** The positional words as given: [BINARY] and patterns, then the COMMAND after {@code --}. */
  abstract List<String> positional();

  @Option(names = "--verbose",
      description = "Print every note on its own line (by default, notes of one kind about many functions"
          + " are summarised in one line with a count).")
  boolean verbose;

  /** Set by Ctrl-C or SIGTERM (the shutdown hook); the run then ends, detaches and summarises. */
  final AtomicBoolean stop = new AtomicBoolean();

  /** The body of a tracing command, given its output writers; returns the exit code. */
  @FunctionalInterface
  interface Body {
    int run(PrintWriter out, PrintWriter err) throws Exception;
  }

  /**
   * Set (under {@link #stop}'s lock) when the run starts: from then a command may have been
   * launched and probes attached, and a stop waits for the body to undo them and summarise.
   */
  private boolean started;

  /**
   * Runs {@code body} so that Ctrl-C or SIGTERM ends it cleanly: the shutdown hook sets
   * {@link #stop} and, once the run has started, waits (up to 5 s) for the body to detach and
   * print its summary; before that (reading and planning the binary) there is nothing to undo,
   * so gotrace says so and exits at once. What the body throws reaches the user through
   * {@link Errors}, the one place exceptions get exit codes.
   */
  final int traced(Body body) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      boolean running;
      synchronized (stop) { // wakes a TraceRun.pause at once
        stop.set(true);
        stop.notifyAll();
        running = started;
      }
      if (!running) {
        err.println("gotrace: stopped before anything was attached or launched");
        err.flush();
        return;
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
      checkCount();
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

  /** Prints {@code notes} to {@code err}, one kind about many functions in one line unless --verbose. */
  final void printNotes(PrintWriter err, List<Note> notes) {
    NoteText.lines(notes, verbose).forEach(line -> err.println("gotrace: note: " + line));
  }

  /**
   * Called once the target is resolved and planned, just before the probes are attached (every
   * command attaches right after {@link #startRun}); tests end the target there.
   */
  Runnable beforeAttach;

  /** Starts a run of {@code target} with this command's stop flag, --count and --duration. */
  TraceRun startRun(Target target) {
    synchronized (stop) {
      if (stop.get()) { // the hook has let the JVM exit: launch and attach nothing
        throw new UserException(ExitCode.INTERRUPTED, "stopped before anything was attached or launched", null);
      }
      started = true;
    }
    TraceRun run = TraceRun.start(target, stop, count, parsedDuration(), spec.commandLine().getOut(),
        spec.commandLine().getErr());
    if (beforeAttach != null) {
      beforeAttach.run();
    }
    return run;
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
    } else if (!before.isEmpty()) {
      FileGuess.refuseMistypedFile(before.get(0));
    }
    boolean implied = patternText.isEmpty();
    if (implied) {
      patternText = impliedPatterns();
    }
    if (patternText.isEmpty()) {
      throw new UserException(ExitCode.USAGE, "no function pattern given",
          "write: gotrace " + spec.name() + " [BINARY] PATTERN..., e.g. 'main.*'");
    }
    List<NamePattern> patterns = Patterns.parse(patternText);
    if (!command.isEmpty()) {
      Path exe = Launcher.resolve(command.get(0));
      return new Target(exe, exe.toString(), List.of(), command, patterns);
    }
    if (!pids.isEmpty()) {
      Pids.Resolved r = Pids.resolve(pids);
      if (binary != null) {
        Pids.requireRuns(r, binary);
      }
      return new Target(r.binary(), r.display(), r.pids(), List.of(), patterns);
    }
    if (binary != null) {
      Binaries.checkReadable(binary);
      return new Target(binary, binary.toString(), List.of(), List.of(), patterns);
    }
    Optional<String> asked = implied ? Optional.empty()
        : Optional.of((patternText.size() == 1 ? "a function matching " : "a function matching one of ")
            + String.join(" ", patternText));
    String pick = "gotrace " + spec.name() + " -p PID"
        + (implied ? "" : " " + String.join(" ", patternText.stream().map(TraceOptions::quoted).toList()));
    Discovery.Candidate c;
    try {
      c = Discovery.single(patterns, asked, pick);
    } catch (TargetException e) {
      String first = patternText.get(0);
      Optional<String> file = e.kind() == TargetException.Kind.NOT_FOUND && !implied
          ? FileGuess.closeTo(first) : Optional.empty();
      if (file.isPresent()) {
        throw new UserException(ExitCode.NO_TARGET, e.getMessage(), "did you mean the file ./" + file.get() + "? "
            + quoted(first) + " was taken as a function pattern, since no file has that name");
      }
      throw e;
    }
    return new Target(c.binary(), c.exe(), List.of(c.pid()), List.of(), patterns);
  }

  /** {@code text} as a shell word: in single quotes when it holds characters a shell treats specially. */
  static String quoted(String text) {
    return text.matches("[A-Za-z0-9._/:=@%+-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
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
    if (LineTarget.isLine(arg)) { // /src/app/main.go:52 is a line, not the binary
      return false;
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

  /** {@code --duration} as a Duration, or null when not given. */
  Duration parsedDuration() {
    return TimeOption.parse("--duration", duration, false);
  }


  /** Refuses a {@code --max-inflight} outside what the in-flight table can hold, before attaching. */
  static void checkInflight(int maxInflight) {
    if (maxInflight < 1 || maxInflight > LatencySpec.MAX_INFLIGHT) {
      throw new UserException(ExitCode.USAGE, "--max-inflight " + maxInflight + " is out of range: 1 to "
          + LatencySpec.MAX_INFLIGHT, "e.g. --max-inflight " + LatencySpec.DEFAULT_MAX_INFLIGHT + " (the default)");
    }
  }

  /**
   * Refuses a {@code --count} below 1 (0 and negatives used to mean "no limit"), before anything
   * is read or attached.
   */
  void checkCount() {
    if (spec.commandLine().getParseResult().hasMatchedOption("--count") && count < 1) {
      throw new UserException(ExitCode.USAGE, "--count must be at least 1, not " + count,
          "leave --count out to trace until Ctrl-C, --duration or the end of the target");
    }
  }
}
