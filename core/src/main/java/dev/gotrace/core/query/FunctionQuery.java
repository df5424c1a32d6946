package dev.gotrace.core.query;

import java.util.List;
import java.util.Optional;

/**
 * One function's compiled question.
 *
 * @param entryFilter decided at the entry: false means no record, no in-flight entry
 * @param exitFilter decided at a return (latency, top): may use results and {@link Cond.Captured} bits
 * @param captures conditions on parameters that {@code exitFilter} uses; bit i of a u64 saved at the entry
 * @param keys the {@code --by} parts, entry side and exit side
 */
public record FunctionQuery(Optional<Cond> entryFilter, Optional<Cond> exitFilter, List<Cond> captures, KeyLayout keys) {
  public FunctionQuery {
    captures = List.copyOf(captures);
    if (captures.size() > 64) {
      throw new IllegalArgumentException(captures.size() + " captures");
    }
  }

  /** Nothing to filter, one key per function. */
  public static FunctionQuery none(int keyBytes) {
    return new FunctionQuery(Optional.empty(), Optional.empty(), List.of(), KeyLayout.none(keyBytes));
  }

  /** Whether a return must be seen to decide or key a call. */
  public boolean needsExit() {
    return exitFilter.isPresent() || !keys.side(true).isEmpty();
  }

  public boolean isEmpty() {
    return entryFilter.isEmpty() && exitFilter.isEmpty() && keys.isEmpty();
  }
}
