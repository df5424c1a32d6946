package dev.gotrace.core.agg;

import dev.gotrace.core.query.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What the kernel aggregated for one (function, key) of {@code --by} so far, or for the calls of
 * a function whose key found the key table full ({@link #other}).
 *
 * @param function the function's Go name
 * @param entry the function's probe entry address: its identity
 * @param key the value of each {@code --by} expression, in the order given; empty for {@code (other)}
 * @param other the calls past the key cap, counted without their key
 * @param histogram their latencies
 */
public record KeyedLatency(String function, long entry, List<KeyValue> key, boolean other, Log2Histogram histogram) {
  public KeyedLatency {
    key = List.copyOf(key);
  }

  /** The order of keys: part by part, numbers by value, strings bytewise (Go's order), unreadable last. */
  public static final Comparator<KeyedLatency> BY_KEY = (a, b) -> {
    for (int i = 0; i < Math.min(a.key.size(), b.key.size()); i++) {
      int c = compare(a.key.get(i), b.key.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.key.size(), b.key.size());
  };

  /** Whether any string of the key was cut to the key's bytes. */
  public boolean cut() {
    return key.stream().anyMatch(k -> k instanceof KeyValue.StringKey s && s.cut());
  }

  static int compare(KeyValue a, KeyValue b) {
    int ka = rank(a);
    int kb = rank(b);
    if (ka != kb) {
      return Integer.compare(ka, kb);
    }
    if (a instanceof KeyValue.IntKey x && b instanceof KeyValue.IntKey y) {
      return Long.compare(x.value(), y.value());
    }
    if (a instanceof KeyValue.UintKey x && b instanceof KeyValue.UintKey y) {
      return Long.compareUnsigned(x.value(), y.value());
    }
    if (a instanceof KeyValue.BoolKey x && b instanceof KeyValue.BoolKey y) {
      return Boolean.compare(x.value(), y.value());
    }
    if (a instanceof KeyValue.FloatKey x && b instanceof KeyValue.FloatKey y) {
      return Double.compare(x.value(), y.value());
    }
    if (a instanceof KeyValue.StringKey x && b instanceof KeyValue.StringKey y) {
      return Arrays.compareUnsigned(x.utf8().getBytes(StandardCharsets.UTF_8), y.utf8().getBytes(StandardCharsets.UTF_8));
    }
    return 0;
  }

  /** Kinds in key order: numbers, bools, strings, then unreadable parts. */
  private static int rank(KeyValue k) {
    if (k instanceof KeyValue.IntKey) {
      return 0;
    }
    if (k instanceof KeyValue.UintKey) {
      return 1;
    }
    if (k instanceof KeyValue.FloatKey) {
      return 2;
    }
    if (k instanceof KeyValue.BoolKey) {
      return 3;
    }
    if (k instanceof KeyValue.StringKey) {
      return 4;
    }
    return 5;
  }
}
