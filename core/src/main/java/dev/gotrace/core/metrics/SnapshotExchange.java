package dev.gotrace.core.metrics;

import java.util.function.Supplier;

/**
 * Hands snapshots from the thread that owns a session (the only one that reads its maps) to
 * exporter threads. An exporter's {@link #snapshot} asks for a fresh one and waits, up to
 * {@link #WAIT_MS}, for the owner's next {@link #offer}, which builds one only when asked: no
 * exporter, no map reads. After {@link #close} (the trace ended) it returns the last one at once.
 */
public final class SnapshotExchange implements MetricsSource {
  /** How long an exporter waits for the owner (which offers every poll, 50 ms). */
  public static final long WAIT_MS = 2_000;

  private final Object lock = new Object();
  private MetricsSnapshot last;
  private long asked;
  private long served;
  private boolean closed;

  public SnapshotExchange(MetricsSnapshot initial) {
    this.last = initial;
  }

  @Override
  public MetricsSnapshot snapshot() {
    synchronized (lock) {
      if (closed) {
        return last;
      }
      long ticket = ++asked;
      long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
      while (served < ticket && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          lock.wait((left + 999_999) / 1_000_000L); // rounded up: the whole wait, not a millisecond less
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return last;
    }
  }

  /** Owner side, on every poll: builds a snapshot when an exporter is waiting for one. */
  public void offer(Supplier<MetricsSnapshot> build) {
    long want;
    synchronized (lock) {
      want = asked;
      if (want == served || closed) {
        return;
      }
    }
    MetricsSnapshot s = build.get(); // outside the lock: exporters asking meanwhile wait for the next
    publish(s, want);
  }

  /** Owner side: the final numbers; exporters get these from now on without waiting. */
  public void close(MetricsSnapshot finalSnapshot) {
    synchronized (lock) {
      last = finalSnapshot;
      closed = true;
      lock.notifyAll();
    }
  }

  /** The last snapshot built, without asking for a new one. */
  public MetricsSnapshot last() {
    synchronized (lock) {
      return last;
    }
  }

  private void publish(MetricsSnapshot s, long upTo) {
    synchronized (lock) {
      if (closed) {
        return; // the final numbers, given meanwhile, stay
      }
      last = s;
      served = Math.max(served, upTo);
      lock.notifyAll();
    }
  }
}
