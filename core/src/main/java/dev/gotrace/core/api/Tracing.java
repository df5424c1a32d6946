package dev.gotrace.core.api;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.failure.Failure;
import dev.gotrace.core.target.Launcher;
import dev.gotrace.core.target.Processes;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running trace. One thread of its own (named {@code gotrace-trace}) owns the session: it
 * launched the command if there is one, attached the probes, reads the ring buffer, calls the
 * listener, and on the end detaches and frees every kernel object (links first, then programs,
 * maps and the ring buffer). The trace ends when {@link #close()} is called, when the listener
 * throws, or when the target ends (the launched command exits, or every traced pid does); a trace
 * of every process running a binary ends only on close.
 */
public final class Tracing implements AutoCloseable {
  private final TraceSpec spec;
  private final GoBinary bin;
  private final List<String> command;
  private final TraceListener listener;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch attached = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread owner;
  private volatile List<Integer> pids;
  private volatile boolean running;
  private volatile boolean attachedOk;
  private volatile long lost;
  private volatile Throwable failure;
  private volatile boolean listenerFailed;
  private boolean reported;

  private Tracing(TraceSpec spec, GoBinary bin, List<Integer> pids, List<String> command, TraceListener listener) {
    this.spec = spec;
    this.bin = bin;
    this.pids = List.copyOf(pids);
    this.command = List.copyOf(command);
    this.listener = listener;
    this.owner = new Thread(this::run, "gotrace-trace");
    owner.setDaemon(true);
  }

  /** Starts the owner thread and waits until it has attached, or failed to. */
  static Tracing start(TraceSpec spec, GoBinary bin, List<Integer> pids, List<String> command,
      TraceListener listener) throws GoTraceException {
    Tracing t = new Tracing(spec, bin, pids, command, listener);
    t.owner.start();
    try {
      t.attached.await();
    } catch (InterruptedException e) {
      t.stop.set(true);
      t.join();
      Thread.currentThread().interrupt();
      throw new GoTraceException(new Failure(Failure.Kind.FAILURE, "interrupted while attaching the probes", null), e);
    }
    if (!t.attachedOk) {
      t.join();
      t.reported = true;
      throw GoTraceException.of(t.failure);
    }
    return t;
  }

  private void run() {
    Launcher.Launched launched = null;
    Session session = null;
    try {
      List<Integer> kernelPids = pids;
      Set<Integer> accept = Set.of();
      if (!command.isEmpty()) { // launched here: the command dies with the thread that started it
        launched = Launcher.start(command);
        kernelPids = List.of(launched.pid());
        accept = Set.of(launched.pid());
        pids = kernelPids;
      }
      session = Session.open(spec, bin, kernelPids, accept, stop::get);
      running = true;
      if (launched != null) {
        forward(launched.process().getInputStream(), System.out);
        forward(launched.process().getErrorStream(), System.err);
        launched.release();
      }
      attachedOk = true;
      attached.countDown();
      while (!stop.get() && !targetEnded(launched)) {
        session.poll(RingBufReader.MAX_WAIT_MS, this::deliver);
        lost = session.lost();
      }
      session.drain(this::deliver); // what was committed before the end
      lost = session.lost();
    } catch (Throwable e) {
      if (failure == null) {
        failure = e;
      }
    } finally {
      try {
        if (session != null) {
          session.close();
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
      if (launched != null) {
        launched.close();
      }
      running = false;
      attached.countDown();
      ended.countDown();
    }
  }

  private void deliver(Event e) {
    if (listenerFailed) {
      return;
    }
    try {
      listener.onEvent(e);
    } catch (Throwable x) {
      failure = x;
      listenerFailed = true;
      stop.set(true);
    }
  }

  private boolean targetEnded(Launcher.Launched launched) {
    if (launched != null) {
      return !launched.process().isAlive();
    }
    return !pids.isEmpty() && pids.stream().noneMatch(Processes::alive);
  }

  private static void forward(InputStream from, OutputStream to) {
    Thread t = new Thread(() -> {
      try (from) {
        from.transferTo(to);
        to.flush();
      } catch (IOException e) {
        // the command closed its end
      }
    }, "gotrace-output");
    t.setDaemon(true);
    t.start();
  }

  /** The processes traced: the pids given, or the launched command's; empty for every process running the binary. */
  public List<Integer> pids() {
    return pids;
  }

  /** Whether the trace still runs (false once it ended, by {@link #close()} or by itself). */
  public boolean isRunning() {
    return running;
  }

  /**
   * Records lost so far: dropped by the kernel when the ring buffer was full, or halves that
   * could not be matched. Each loss is also delivered as an {@link Event.Lost}.
   *
   * @return the count
   */
  public long lost() {
    return lost;
  }

  /**
   * Waits until the trace ends by itself (the target ended, the listener threw) or is closed.
   *
   * @param timeout the longest to wait
   * @return whether it ended
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Stops the trace: the owner thread delivers what the ring buffer already holds, detaches the
   * probes, frees every program, map and the ring buffer, and ends a launched command; this call
   * returns when all of that is done. Safe from any thread and idempotent; called from the
   * listener itself it only asks, and the trace ends when the listener returns.
   *
   * @throws GoTraceException once, when the trace failed after it started: the listener threw
   *     (the exception is the cause), or the kernel refused a read or the detach
   */
  @Override
  public void close() throws GoTraceException {
    stop.set(true);
    if (Thread.currentThread() == owner) {
      return;
    }
    join();
    Throwable f;
    synchronized (this) {
      if (reported || failure == null) {
        return;
      }
      reported = true;
      f = failure;
    }
    if (listenerFailed) {
      throw new GoTraceException(new Failure(Failure.Kind.FAILURE, "the listener threw " + f.getClass().getName()
          + (f.getMessage() == null ? "" : ": " + f.getMessage()) + "; the trace stopped",
          "see the cause; the trace stops at the listener's first exception"), f);
    }
    throw GoTraceException.of(f);
  }

  private void join() {
    boolean interrupted = false;
    while (owner.isAlive()) {
      try {
        owner.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
