package dev.gotrace.core.agg;

import dev.gotrace.core.decode.Event;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls per function and lost records; feed it every event. Not thread-safe. */
public final class CallCounts {
  /** One line of the summary. */
  public record Row(String function, long calls) {}

  // a mutable cell per function: counting a call boxes nothing
  private final Map<String, long[]> calls = new LinkedHashMap<>();
  private long total;
  private long lost;

  /** Starts every traced function at zero, so functions never called appear in the summary. */
  public CallCounts(List<String> functions) {
    functions.forEach(f -> calls.putIfAbsent(f, new long[1]));
  }

  public void add(Event e) {
    if (e instanceof Event.Call c) {
      calls.computeIfAbsent(c.function(), f -> new long[1])[0]++;
      total++;
    } else if (e instanceof Event.Lost l) {
      lost += l.count();
    }
  }

  /** Calls seen. */
  public long total() {
    return total;
  }

  /** Records the kernel could not deliver. */
  public long lost() {
    return lost;
  }

  /** Rows by calls, most first, then by name. */
  public List<Row> rows() {
    return calls.entrySet().stream().map(e -> new Row(e.getKey(), e.getValue()[0]))
        .sorted(Comparator.comparingLong(Row::calls).reversed().thenComparing(Row::function))
        .toList();
  }
}
