package dev.gotrace.cli;

import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Processes;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One run of a tracing command, from the target to the exit code: launches the command of a
 * {@code -- COMMAND} target (held at its gate until {@link #release}), forwards its output, polls
 * until Ctrl-C/SIGTERM, {@code --duration}, {@code --count} or the end of the target, and returns
 * the launched command's exit code or {@link ExitCode#OK}. The tracers themselves stay with the
 * commands; this class knows only when to stop.
 */
final class TraceRun implements AutoCloseable {
  /**
   * Polling interval: how soon the end of the target or a stop request is noticed, and the
   * longest a record written without a wakeup waits in a quiet ring before it is shown (the
   * ring reader's own bound, one number for both).
   */
  static final int POLL_MS = RingBufReader.MAX_WAIT_MS;

  /** Polls the tracer(s) once, waiting up to {@code timeoutMs} when nothing is pending. */
  @FunctionalInterface
  interface Poll {
    void poll(int timeoutMs) throws Exception;
  }

  /** Work after each poll (a periodic table, a redraw, keys); true ends the run. */
  @FunctionalInterface
  interface Tick {
    boolean tick(long nowNanos) throws Exception;
  }

  private final TraceOptions.Target target;
  private final AtomicBoolean stop;
  private final long count;
  private final Duration limit;
  private final Launcher.Launched launched;
  private final PrintWriter out;
  private final PrintWriter err;
  private final List<Thread> pumps = new ArrayList<>();
  private long started = System.nanoTime();
  private long seen;

  private TraceRun(TraceOptions.Target target, AtomicBoolean stop, long count, Duration limit, PrintWriter out,
      PrintWriter err) {
    this.target = target;
    this.stop = stop;
    this.count = count;
    this.limit = limit;
    this.out = out;
    this.err = err;
    this.launched = target.launch() ? Launcher.start(target.command()) : null;
    if (launched != null && !launched.followsTracer()) {
      err.println("gotrace: note: setpriv (util-linux) not found: the launched command would outlive a killed gotrace");
    }
  }

  /**
   * Starts a run of {@code target}; a command target is launched now, held at its gate. The run
   * also ends when {@code out} can no longer be written ({@link StandardOutput#closed}); notes go
   * to {@code err}.
   */
  static TraceRun start(TraceOptions.Target target, AtomicBoolean stop, long count, Duration limit,
      PrintWriter out, PrintWriter err) {
    return new TraceRun(target, stop, count, limit, out, err);
  }

  /**
   * Processes the kernel filters on. A launched command keeps the shell's pid through exec; the
   * kernel filters on it (a process's pid filter follows exec, since Linux 6.10) and so does the
   * decoder ({@link #acceptPids()}).
   */
  List<Integer> kernelPids() {
    return launched != null ? List.of(launched.pid()) : target.kernelPids();
  }

  /** Processes whose events are kept in user space (empty: all). */
  Set<Integer> acceptPids() {
    return launched != null ? Set.of(launched.pid()) : Set.of();
  }

  boolean launchedCommand() {
    return launched != null;
  }

  /** " (launched as pid N)", " (pid N, M)" or " (every process running it)", for the banner. */
  String describe() {
    if (launched != null) {
      return " (launched as pid " + launched.pid() + ")";
    }
    if (!target.kernelPids().isEmpty()) {
      return " (pid " + String.join(", ", target.kernelPids().stream().map(String::valueOf).toList()) + ")";
    }
    return " (every process running it)";
  }

  /**
   * Once the probes are attached: forwards a launched command's stdout to {@code childOut} and its
   * stderr to {@code err}, lets it run, and starts the clock.
   */
  void release(PrintWriter childOut, PrintWriter err) {
    if (launched != null) {
      pumps.add(OutputPump.start(launched.process().getInputStream(), childOut, "stdout"));
      pumps.add(OutputPump.start(launched.process().getErrorStream(), err, "stderr"));
      launched.release();
    }
    started = System.nanoTime();
  }

  /** {@code sink} limited to the first {@code --count} events; the run ends when they are in. */
  <E> Consumer<E> counted(Consumer<E> sink) {
    return e -> {
      if (count > 0 && seen >= count) {
        return;
      }
      seen++;
      sink.accept(e);
    };
  }

  /** Whether {@code --count} events have been delivered through {@link #counted}. */
  boolean countReached() {
    return count > 0 && seen >= count;
  }

  /** {@code --count}, 0 when not given. */
  long count() {
    return count;
  }

  /**
   * Polls until stopped; returns the exit code: the launched command's when it ended by itself,
   * {@link ExitCode#OUTPUT_CLOSED} when nobody reads standard output any more (the caller then
   * detaches as after Ctrl-C), else {@link ExitCode#OK}.
   */
  int loop(Poll poll, Tick tick) throws Exception {
    long deadline = limit == null ? Long.MAX_VALUE : started + limit.toNanos();
    while (!stop.get()) {
      poll.poll(POLL_MS);
      long now = System.nanoTime();
      if (countReached() || now >= deadline) {
        break;
      }
      if (tick != null && tick.tick(now)) {
        break;
      }
      if (targetEnded()) {
        break;
      }
      if (StandardOutput.closed(out)) {
        err.println("gotrace: standard output was closed (its reader ended); detaching");
        err.flush();
        return ExitCode.OUTPUT_CLOSED.code();
      }
    }
    if (launched != null && !stop.get() && !launched.process().isAlive()) {
      return launched.process().waitFor();
    }
    return ExitCode.OK.code();
  }

  /**
   * A {@link Poll} for commands that only read maps: waits {@code ms}, or less when the run is
   * stopped meanwhile (the stop hook notifies the flag), so Ctrl-C is not held up by a sleep.
   */
  void pause(int ms) throws InterruptedException {
    synchronized (stop) {
      if (!stop.get()) {
        stop.wait(ms);
      }
    }
  }

  /** As {@link #loop(Poll, Tick)} without per-poll work. */
  int loop(Poll poll) throws Exception {
    return loop(poll, null);
  }

  /** The launched command exited, or every traced pid did. */
  boolean targetEnded() {
    if (launched != null) {
      return !launched.process().isAlive();
    }
    return !target.kernelPids().isEmpty() && target.kernelPids().stream().noneMatch(Processes::alive);
  }

  /** Waits (up to 2 s each) for the launched command's output to be forwarded. */
  void awaitOutput() throws InterruptedException {
    for (Thread p : pumps) {
      p.join(2000);
    }
  }

  /** Seconds since {@link #release}. */
  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** Ends a launched command that is still running. */
  @Override
  public void close() {
    if (launched != null) {
      launched.close();
    }
  }
}
