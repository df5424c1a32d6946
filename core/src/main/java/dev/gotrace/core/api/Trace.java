package dev.gotrace.core.api;

import dev.gotrace.core.failure.Failure;
import dev.gotrace.core.failure.FailureException;
import dev.gotrace.core.plan.Patterns;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Pids;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every kind of trace takes: the target (every process running the binary, some pids, or a
 * command launched for the trace), a {@code where} condition and the limit on probes. Builders
 * are immutable: each method returns a new one. Input a user may get wrong (a pattern, an
 * expression, a pid that has exited) is checked by {@link #plan()} and {@link #start}, which
 * throw {@link GoTraceException}; misuse of the builder throws at once.
 *
 * @param <T> the kind of trace
 */
public abstract sealed class Trace<T extends Trace<T>> permits FuncsTrace, ArgsTrace, LatencyTrace, GoroutinesTrace {
  /** The shared options, held by every builder. */
  record Options(List<String> patterns, Optional<String> where, List<Integer> pids, List<String> command,
      int maxSites) {
    Options {
      patterns = List.copyOf(patterns);
      pids = List.copyOf(pids);
      command = List.copyOf(command);
    }

    static Options of(String[] patterns, List<Integer> pids) {
      return new Options(Arrays.asList(patterns), Optional.empty(), pids, List.of(), Planner.DEFAULT_MAX_SITES);
    }
  }

  /** What a builder plans into: the spec the session runs and its summary. */
  record Planned(TraceSpec spec, TracePlan summary) {}

  final GoTrace go;
  final Options options;

  Trace(GoTrace go, Options options) {
    this.go = go;
    this.options = options;
  }

  /** A builder of this kind with {@code o}. */
  abstract T with(Options o);

  /** Plans this trace against {@code bin} (on the caller's thread, before anything is attached). */
  abstract Planned plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException;

  /**
   * Reports only the calls for which {@code expression} holds, decided in the kernel: the
   * language of {@code gotrace --where} (parameters by name or position, fields through structs
   * and pointers, comparisons, {@code && || !}, {@code len()}, {@code hasPrefix()}); for
   * goroutines a condition on {@code fn}, the launched function's name.
   *
   * @param expression the condition, e.g. {@code year >= 2021 && hasPrefix(name, "Go")}
   * @return a new builder
   */
  public final T where(String expression) {
    Objects.requireNonNull(expression, "expression");
    return with(new Options(options.patterns(), Optional.of(expression), options.pids(), options.command(),
        options.maxSites()));
  }

  /**
   * Traces only these processes (they must run this binary) instead of every process running it.
   *
   * @param pids one or more process ids
   * @return a new builder
   * @throws IllegalArgumentException for no pid or a pid below 1
   * @throws IllegalStateException when a command to launch is set
   */
  public final T pid(int... pids) {
    if (pids.length == 0 || Arrays.stream(pids).anyMatch(p -> p < 1)) {
      throw new IllegalArgumentException("pids must be positive, and at least one: " + Arrays.toString(pids));
    }
    if (!options.command().isEmpty()) {
      throw new IllegalStateException("pid and launch exclude each other");
    }
    return with(new Options(options.patterns(), options.where(), Arrays.stream(pids).boxed().toList(),
        List.of(), options.maxSites()));
  }

  /**
   * Launches {@code command} for the trace and traces it from its first instruction: {@link
   * #start} starts it held at a gate, attaches, then lets it run, its output going to this JVM's
   * standard output and error. Its executable must be this binary. The trace ends when it exits;
   * closing the trace ends it.
   *
   * @param command the executable (a path, or a name looked up in PATH) and its arguments
   * @return a new builder
   * @throws IllegalArgumentException for an empty command
   * @throws IllegalStateException when pids are set
   */
  public final T launch(String... command) {
    if (command.length == 0) {
      throw new IllegalArgumentException("empty command");
    }
    if (!options.pids().isEmpty()) {
      throw new IllegalStateException("pid and launch exclude each other");
    }
    return with(new Options(options.patterns(), options.where(), List.of(), List.of(command), options.maxSites()));
  }

  /**
   * Refuses to attach more than {@code n} probes (default 1000), counting every entry, exit and
   * inlined-copy probe.
   *
   * @param n at least 1
   * @return a new builder
   */
  public final T maxSites(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxSites must be at least 1: " + n);
    }
    return with(new Options(options.patterns(), options.where(), options.pids(), options.command(), n));
  }

  /**
   * Plans the trace without attaching anything (no privileges needed): the same checks as
   * {@link #start} before the kernel is asked.
   *
   * @return the functions and probe count
   * @throws GoTraceException for a bad pattern or expression, no matching function, too many
   *     probes, or a function that cannot be traced safely
   */
  public final TracePlan plan() throws GoTraceException {
    return planned().summary();
  }

  private Planned planned() throws GoTraceException {
    GoBinary bin = go.bin(); // a closed GoTrace is misuse, not a failure to report
    try {
      return plan(bin, Patterns.parse(options.patterns()));
    } catch (GoBinaryException | RuntimeException e) {
      throw GoTraceException.of(e);
    }
  }

  /**
   * Plans, attaches and starts delivering events to {@code listener} on the trace's own thread;
   * returns once every probe is attached (and a launched command released).
   *
   * @param listener receives every event
   * @return the running trace; close it to stop
   * @throws GoTraceException as {@link #plan()}, and when the target is gone, privileges are
   *     missing (root, or CAP_BPF and CAP_PERFMON) or the kernel refuses
   */
  public final Tracing start(TraceListener listener) throws GoTraceException {
    Objects.requireNonNull(listener, "listener");
    Planned p = planned();
    List<Integer> pids = options.pids();
    try {
      if (!pids.isEmpty()) {
        Pids.Resolved r = Pids.resolve(pids);
        Pids.requireRuns(r, go.binary());
        pids = r.pids();
      } else if (!options.command().isEmpty()) {
        requireSameFile(Launcher.resolve(options.command().get(0)), go.binary());
      }
    } catch (RuntimeException e) {
      throw GoTraceException.of(e);
    }
    Tracing t = Tracing.start(p.spec(), go.bin(), pids, options.command(), listener);
    go.started(t);
    return t;
  }

  private static void requireSameFile(Path exe, Path binary) {
    boolean same;
    try {
      same = Files.isSameFile(exe, binary);
    } catch (IOException e) {
      same = false;
    }
    if (!same) {
      throw new FailureException(Failure.Kind.USAGE,
          "the command runs " + exe + ", not " + binary, "launch the binary this GoTrace opened");
    }
  }
}
