package dev.gotrace.cli.tui;

import dev.gotrace.cli.render.KeyOrder;
import dev.gotrace.cli.render.KeyedSections;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.Log2Histogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One refresh of {@code gotrace top}: the header facts and a row per function, computed from the
 * kernel's aggregation ({@link FunctionLatency}, CPUs summed) now and at the previous refresh.
 *
 * @param header what the first lines say
 * @param keyTitles the {@code --by} expressions, one column each after the function (empty without --by)
 * @param rows one per function (per function and key with --by), in plan order
 */
public record TopTable(Header header, List<String> keyTitles, List<Row> rows) {
  /**
   * @param target the traced binary and process(es), as the banner names them
   * @param goVersion the binary's Go version
   * @param probes uprobes attached (entries and exit sites)
   * @param calls completed calls counted by the kernel (all functions)
   * @param unmatched exits whose entry was not seen (attached mid-call, or evicted from the
   *     in-flight table): not in the numbers
   * @param seconds time traced so far
   */
  public record Header(String target, String goVersion, int probes, long calls, long unmatched, double seconds) {}

  /**
   * @param key the cells of the key columns ({@code --by}): each part's text, {@code (other)} for
   *     the calls past the key cap; empty without --by
   * @param keyRank the row's place among its function's keys in key order, for ties
   * @param callsPerSecond completed calls per second since the previous refresh
   * @param calls completed calls since tracing began
   * @param p50Ns estimated from the log2 buckets (narrowed to the exact min and max)
   * @param inFlight entries not yet matched by an exit (calls in progress); -1 on a key's row,
   *     where it is not known (a key may be decided at the exit)
   */
  public record Row(String function, List<String> key, int keyRank, double callsPerSecond, long calls, double meanNs,
      double p50Ns, double p99Ns, long maxNs, long inFlight) {
    public Row {
      key = List.copyOf(key);
    }

    /** A function's row, without a key. */
    public Row(String function, double callsPerSecond, long calls, double meanNs, double p50Ns, double p99Ns,
        long maxNs, long inFlight) {
      this(function, List.of(), 0, callsPerSecond, calls, meanNs, p50Ns, p99Ns, maxNs, inFlight);
    }
  }

  public TopTable {
    keyTitles = List.copyOf(keyTitles);
    rows = List.copyOf(rows);
  }

  public TopTable(Header header, List<Row> rows) {
    this(header, List.of(), rows);
  }

  /**
   * The table of {@code now} with a row per (function, key) of {@code keys} (and one for a
   * function with calls in flight and no key yet), rates over the {@code dtSeconds} since
   * {@code previousKeys}; the header's totals from the per-function {@code now}.
   */
  public static TopTable keyed(String target, String goVersion, int probes, List<FunctionLatency> now,
      KeyedSections sections, List<KeyedLatency> previousKeys, List<KeyedLatency> keys, double dtSeconds,
      double seconds) {
    Map<String, Long> before = new HashMap<>();
    previousKeys.forEach(k -> before.merge(identity(sections, k), k.histogram().count(), Long::sum));
    Map<Long, List<KeyedLatency>> byFunction = new HashMap<>();
    keys.forEach(k -> byFunction.computeIfAbsent(k.entry(), e -> new ArrayList<>()).add(k));
    List<Row> rows = new ArrayList<>();
    long calls = 0;
    long unmatched = 0;
    for (FunctionLatency f : now) {
      calls += f.histogram().count();
      unmatched += f.unmatchedExits();
      List<KeyedLatency> mine = byFunction.getOrDefault(f.entry(), List.of());
      if (mine.isEmpty()) {
        Log2Histogram h = f.histogram();
        rows.add(new Row(f.function(), blank(sections.texts().size()), 0, 0, h.count(), h.mean(),
            h.count() == 0 ? 0 : h.percentile(0.5), h.count() == 0 ? 0 : h.percentile(0.99), h.max(), f.inFlight()));
        continue;
      }
      List<KeyedLatency> ranked = new ArrayList<>(mine);
      ranked.sort(KeyOrder.KEY.comparator());
      for (int r = 0; r < ranked.size(); r++) {
        KeyedLatency k = ranked.get(r);
        Log2Histogram h = k.histogram();
        long delta = h.count() - before.getOrDefault(identity(sections, k), 0L);
        rows.add(new Row(f.function(), cells(sections, k), r, dtSeconds > 0 ? delta / dtSeconds : 0, h.count(),
            h.mean(), h.count() == 0 ? 0 : h.percentile(0.5), h.count() == 0 ? 0 : h.percentile(0.99), h.max(), -1));
      }
    }
    return new TopTable(new Header(target, goVersion, probes, calls, unmatched, seconds), sections.texts(), rows);
  }

  private static String identity(KeyedSections sections, KeyedLatency k) {
    return k.entry() + "\0" + sections.label(k);
  }

  private static List<String> cells(KeyedSections sections, KeyedLatency k) {
    List<String> out = new ArrayList<>();
    if (k.other()) {
      out.add("(other)");
      out.addAll(blank(sections.texts().size() - 1));
      return out;
    }
    k.key().forEach(v -> out.add(v.text()));
    return out;
  }

  private static List<String> blank(int n) {
    return java.util.Collections.nCopies(Math.max(0, n), "");
  }

  /**
   * The table of {@code now}, with rates over the {@code dtSeconds} since {@code previous}
   * (empty on the first refresh: rates over the time traced so far).
   */
  public static TopTable of(String target, String goVersion, int probes, List<FunctionLatency> previous,
      List<FunctionLatency> now, double dtSeconds, double seconds) {
    Map<Long, Long> before = new HashMap<>(); // by identity: two functions of one name stay apart
    previous.forEach(f -> before.merge(f.entry(), f.histogram().count(), Long::sum));
    List<Row> rows = new ArrayList<>();
    long calls = 0;
    long unmatched = 0;
    for (FunctionLatency f : now) {
      Log2Histogram h = f.histogram();
      long delta = h.count() - before.getOrDefault(f.entry(), 0L);
      double rate = dtSeconds > 0 ? delta / dtSeconds : 0;
      rows.add(new Row(f.function(), rate, h.count(), h.mean(), h.count() == 0 ? 0 : h.percentile(0.5),
          h.count() == 0 ? 0 : h.percentile(0.99), h.max(), f.inFlight()));
      calls += h.count();
      unmatched += f.unmatchedExits();
    }
    return new TopTable(new Header(target, goVersion, probes, calls, unmatched, seconds), rows);
  }

  /** The rows sorted by {@code column} (ties by name), reversed on request. */
  public List<Row> sorted(TopColumn column, boolean reversed) {
    List<Row> out = new ArrayList<>(rows);
    out.sort(order(column, reversed));
    return out;
  }

  /** The order of {@link #sorted}. */
  public static Comparator<Row> order(TopColumn column, boolean reversed) {
    Comparator<Row> order = column.order();
    if (reversed) {
      order = order.reversed();
    }
    return order.thenComparing(Row::function).thenComparingInt(Row::keyRank);
  }
}
