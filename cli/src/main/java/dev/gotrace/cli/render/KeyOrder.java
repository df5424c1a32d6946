package dev.gotrace.cli.render;

import dev.gotrace.core.agg.KeyedLatency;
import java.util.Comparator;
import java.util.Locale;

/**
 * How the rows of one function's keys are ordered ({@code --sort}): the most calls first, the
 * slowest p99 first, or by key (numbers by value, strings bytewise, unreadable last). The
 * {@code (other)} row of calls past the key cap always comes last.
 */
public enum KeyOrder {
  COUNT(Comparator.comparingLong((KeyedLatency k) -> k.histogram().count()).reversed()
      .thenComparing(KeyedLatency.BY_KEY)),
  P99(Comparator.comparingDouble((KeyedLatency k) -> k.histogram().count() == 0 ? 0 : k.histogram().percentile(0.99))
      .reversed().thenComparing(KeyedLatency.BY_KEY)),
  KEY(KeyedLatency.BY_KEY);

  private final Comparator<KeyedLatency> order;

  KeyOrder(Comparator<KeyedLatency> order) {
    this.order = Comparator.comparing(KeyedLatency::other).thenComparing(order);
  }

  /** The order of rows, {@code (other)} last. */
  public Comparator<KeyedLatency> comparator() {
    return order;
  }

  /** The word of {@code --sort}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
