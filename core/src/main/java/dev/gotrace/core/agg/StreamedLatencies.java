package dev.gotrace.core.agg;

import dev.gotrace.core.decode.Event;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The latency of every streamed call ({@code latency --calls}), per function by its identity
 * ({@link Event.Completed#functionEntry}, so two functions with one name stay apart), for exact
 * percentiles at the end. Not thread-safe.
 */
public final class StreamedLatencies {
  private final Map<Long, Values> byFunction = new HashMap<>();

  public void add(Event.Completed c) {
    byFunction.computeIfAbsent(c.functionEntry(), k -> new Values()).add(c.latencyNs());
  }

  /** Each function's latencies, ascending, by function entry. */
  public Map<Long, long[]> sorted() {
    Map<Long, long[]> out = new HashMap<>();
    byFunction.forEach((k, v) -> out.put(k, v.sorted()));
    return out;
  }

  /** A growable array of longs. */
  private static final class Values {
    private long[] values = new long[64];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] sorted() {
      long[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }
}
