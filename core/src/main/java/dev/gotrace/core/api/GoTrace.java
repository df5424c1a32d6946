package dev.gotrace.core.api;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.core.target.Pids;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Go binary opened for tracing: the entry point of the API. Opening reads the binary (its
 * function table, build info, DWARF when present) and needs no privileges; each builder it hands
 * out plans against it, and {@code start} attaches.
 *
 * <p>Closing it closes the traces it started that still run, then the binary. It may be shared
 * between threads (the binary's reader is thread-safe); the traces it starts run on threads of
 * their own.
 */
public final class GoTrace implements AutoCloseable {
  private final GoBinary bin;
  private final List<Integer> pids;
  private final List<Tracing> started = new ArrayList<>();
  private volatile boolean closed;

  private GoTrace(GoBinary bin, List<Integer> pids) {
    this.bin = bin;
    this.pids = List.copyOf(pids);
  }

  /**
   * Opens {@code binary}. Its traces follow every process running it, later ones too, unless a
   * builder names pids or a command.
   *
   * @param binary a Go executable
   * @return the opened binary
   * @throws GoTraceException when the file is missing, unreadable, not a Go ELF executable, of an
   *     unsupported Go version, or damaged (the message says which)
   */
  public static GoTrace open(Path binary) throws GoTraceException {
    try {
      return new GoTrace(Binaries.open(binary), List.of());
    } catch (GoBinaryException | RuntimeException e) {
      throw GoTraceException.of(e);
    }
  }

  /**
   * Opens the binary that process {@code pid} runs; its traces follow that process only.
   *
   * @param pid a running Go process
   * @return the opened binary, its traces limited to {@code pid}
   * @throws GoTraceException when there is no such process, it has exited, its executable cannot
   *     be read, or it is no Go program gotrace can trace
   */
  public static GoTrace attach(int pid) throws GoTraceException {
    try {
      Pids.Resolved r = Pids.resolve(List.of(pid));
      return new GoTrace(Binaries.open(r.binary(), r.pids()), r.pids());
    } catch (GoBinaryException | RuntimeException e) {
      throw GoTraceException.of(e);
    }
  }

  /** The binary's path, as opened. */
  public Path binary() {
    return bin.path();
  }

  /** The Go version that built it, e.g. {@code go1.24.4}. */
  public String goVersion() {
    return bin.goVersion().toString();
  }

  /**
   * Every call of the functions matching {@code patterns}, as {@link dev.gotrace.core.decode.Event.Call}s.
   *
   * @param patterns exact names ({@code main.handler}), globs ({@code main.*}), {@code re:REGEX},
   *     or source lines ({@code main.go:52}, {@code main.handler+3})
   * @return a builder
   */
  public FuncsTrace funcs(String... patterns) {
    return new FuncsTrace(this, Trace.Options.of(patterns, pids));
  }

  /**
   * Every call of the matching functions with its arguments ({@link
   * dev.gotrace.core.decode.Event.Entry}) and every return with its results ({@link
   * dev.gotrace.core.decode.Event.Return}).
   *
   * @param patterns as for {@link #funcs}
   * @return a builder
   */
  public ArgsTrace args(String... patterns) {
    return new ArgsTrace(this, Trace.Options.of(patterns, pids), ArgsTrace.DEFAULTS);
  }

  /**
   * Every completed call of the matching functions with its latency, measured in the kernel from
   * the entry to an exit instruction ({@link dev.gotrace.core.decode.Event.Completed}).
   *
   * @param patterns exact names, globs or {@code re:REGEX}
   * @return a builder
   */
  public LatencyTrace latency(String... patterns) {
    return new LatencyTrace(this, Trace.Options.of(patterns, pids), LatencyTrace.EVERY_CALL);
  }

  /**
   * Every goroutine launch ({@link dev.gotrace.core.decode.Event.Launch}).
   *
   * @return a builder
   */
  public GoroutinesTrace goroutines() {
    return new GoroutinesTrace(this, Trace.Options.of(new String[0], pids));
  }

  GoBinary bin() {
    if (closed) {
      throw new IllegalStateException("this GoTrace is closed");
    }
    return bin;
  }

  synchronized void started(Tracing t) {
    started.add(t);
  }

  /**
   * Closes every trace started from this binary that still runs ({@link Tracing#close()}), then
   * the binary. Idempotent.
   *
   * @throws GoTraceException the first failure of a trace it closed (the others are suppressed)
   */
  @Override
  public synchronized void close() throws GoTraceException {
    if (closed) {
      return;
    }
    GoTraceException first = null;
    for (Tracing t : started) {
      try {
        t.close();
      } catch (GoTraceException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    closed = true;
    bin.close();
    if (first != null) {
      throw first;
    }
  }
}
