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
 * failure in list order is thrown on the caller's thread after every earlier result was
 * delivered, as a sequential loop would; later work is cancelled.
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
      Deque<Future<List<R>>> inFlight = new ArrayDeque<>();
      int next = 0;
      while (next < items.size() || !inFlight.isEmpty()) {
        while (next < items.size() && inFlight.size() < threads * AHEAD) {
          List<T> chunk = items.subList(next, Math.min(items.size(), next + CHUNK));
          inFlight.add(pool.submit(() -> {
            List<R> out = new ArrayList<>(chunk.size());
            for (T item : chunk) {
              out.add(work.apply(item));
            }
            return out;
          }));
          next += chunk.size();
        }
        for (R r : await(inFlight.removeFirst(), failure)) {
          sink.accept(r);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <R, X extends Exception> List<R> await(Future<List<R>> f, Class<X> failure) throws X {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (failure.isInstance(cause)) {
        throw failure.cast(cause);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
