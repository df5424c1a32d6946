package dev.gotrace.goelf.work;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Maps a function over a list on all cores, delivering results in the list's order. The first
 * failure in list order is thrown on the caller's thread after every earlier item's result was
 * delivered, as a sequential loop would; later work is abandoned.
 */
public final class Ordered {
  /** Items per chunk: large enough that handing a chunk over costs nothing next to its work. */
  static final int CHUNK = 256;
  /** Chunks computed ahead of the consumer, per thread (bounds the memory held in flight). */
  private static final int AHEAD = 4;

  private Ordered() {}

  /** One item's work; may throw the caller's checked exception {@code X}. */
  @FunctionalInterface
  public interface Work<T, R, X extends Exception> {
    R apply(T item) throws X;
  }

  /** Receives results in order on the caller's thread. */
  @FunctionalInterface
  public interface Sink<R, X extends Exception> {
    void accept(R result) throws X;
  }

  /** How many threads {@link #map} uses: the available processors, at most 8. */
  public static int threads() {
    return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Applies {@code work} to every item and passes the results to {@code sink} in item order.
   * Runs on the caller's thread alone when there is one core or little work.
   */
  public static <T, R, X extends Exception> void map(List<T> items, Work<T, R, X> work, Sink<R, X> sink,
      Class<X> failure) throws X {
    int threads = threads();
    if (threads == 1 || items.size() <= CHUNK) {
      for (T item : items) {
        sink.accept(work.apply(item));
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "gotrace-work");
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<Future<Done<R>>> inFlight = new ArrayDeque<>();
      int next = 0;
      while (next < items.size() || !inFlight.isEmpty()) {
        while (next < items.size() && inFlight.size() < threads * AHEAD) {
          List<T> chunk = items.subList(next, Math.min(items.size(), next + CHUNK));
          inFlight.add(pool.submit(() -> run(chunk, work)));
          next += chunk.size();
        }
        Done<R> done = await(inFlight.removeFirst());
        for (R r : done.results()) {
          sink.accept(r);
        }
        if (done.failure() != null) {
          throw rethrow(done.failure(), failure);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A chunk's results up to its first failure, and that failure (null when none). */
  private record Done<R>(List<R> results, Throwable failure) {}

  private static <T, R, X extends Exception> Done<R> run(List<T> chunk, Work<T, R, X> work) {
    List<R> out = new ArrayList<>(chunk.size());
    try {
      for (T item : chunk) {
        out.add(work.apply(item));
      }
      return new Done<>(out, null);
    } catch (Exception | Error e) {
      return new Done<>(out, e);
    }
  }

  private static <X extends Exception> X rethrow(Throwable t, Class<X> failure) {
    if (failure.isInstance(t)) {
      return failure.cast(t);
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(t);
  }

  private static <R> Done<R> await(Future<Done<R>> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return new Done<>(List.of(), e.getCause()); // run() catches everything; kept for safety
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
