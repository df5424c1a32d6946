package dev.gotrace.core.agg;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.PcMemo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency of every streamed call ({@code latency --calls}), per function by its identity
 * ({@link Event.Completed#functionEntry}, so two functions with one name stay apart), for exact
 * percentiles at the end. Not thread-safe.
 */
public final class StreamedLatencies {
  private final List<Values> functions = new ArrayList<>();
  // by function entry, without boxing it on each call
  private final PcMemo<Values> byFunction = new PcMemo<>(entry -> {
    Values v = new Values(entry);
    functions.add(v);
    return v;
  });

  public void add(Event.Completed c) {
    byFunction.get(c.functionEntry()).add(c.latencyNs());
  }

  /** Each function's latencies, ascending, by function entry. */
  public Map<Long, long[]> sorted() {
    Map<Long, long[]> out = new HashMap<>();
    functions.forEach(v -> out.put(v.entry, v.sorted()));
    return out;
  }

  /** A growable array of longs. */
  private static final class Values {
    private final long entry;
    private long[] values = new long[64];
    private int size;

    Values(long entry) {
      this.entry = entry;
    }

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
