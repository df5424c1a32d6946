package dev.gotrace.cli.tui;

import dev.gotrace.core.agg.FunctionLatency;
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
 * @param rows one per function, in plan order
 */
public record TopTable(Header header, List<Row> rows) {
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
   * @param callsPerSecond completed calls per second since the previous refresh
   * @param calls completed calls since tracing began
   * @param p50Ns estimated from the log2 buckets (narrowed to the exact min and max)
   * @param inFlight entries not yet matched by an exit (calls in progress)
   */
  public record Row(String function, double callsPerSecond, long calls, double meanNs, double p50Ns, double p99Ns,
      long maxNs, long inFlight) {}

  public TopTable {
    rows = List.copyOf(rows);
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
    return order.thenComparing(Row::function);
  }
}
