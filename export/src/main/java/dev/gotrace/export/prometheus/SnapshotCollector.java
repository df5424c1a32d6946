package dev.gotrace.export.prometheus;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.metrics.MetricLabels;
import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.MetricsSource;
import dev.gotrace.core.metrics.TargetInfo;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Prometheus client's view of gotrace's snapshots: at each scrape it reads every source's
 * snapshot and turns it into the client's counter, gauge and histogram snapshots. Series of two
 * sources with equal labels are added (two processes of one binary without the pid label).
 */
final class SnapshotCollector implements MultiCollector {
  /** The classic buckets' upper bounds are 2^k ns for these k, then +Inf. */
  static final int FIRST_BOUND = 9, LAST_BOUND = 35;

  private final Supplier<List<MetricsSource>> sources;
  private final boolean pidLabel;

  SnapshotCollector(Supplier<List<MetricsSource>> sources, boolean pidLabel) {
    this.sources = sources;
    this.pidLabel = pidLabel;
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricsSnapshot> snapshots = new ArrayList<>();
    for (MetricsSource s : sources.get()) {
      snapshots.add(s.snapshot());
    }
    return of(snapshots, pidLabel);
  }

  /** The client's snapshots of {@code snapshots} (one per traced process). */
  static MetricSnapshots of(List<MetricsSnapshot> snapshots, boolean pidLabel) {
    Map<Labels, Double> calls = new LinkedHashMap<>();
    Map<Labels, Log2Histogram> durations = new LinkedHashMap<>();
    Map<Labels, Double> inFlight = new LinkedHashMap<>();
    Map<Labels, Double> unmatched = new LinkedHashMap<>();
    Map<Labels, Double> neverExited = new LinkedHashMap<>();
    Map<Labels, Double> overflow = new LinkedHashMap<>();
    Map<Labels, Double> launches = new LinkedHashMap<>();
    Map<Labels, Double> dropped = new LinkedHashMap<>();
    for (MetricsSnapshot s : snapshots) {
      Labels target = target(s.target(), pidLabel);
      for (MetricsSnapshot.Calls c : s.calls()) {
        Labels fn = target.add(MetricLabels.FUNCTION, c.function());
        calls.merge(fn, (double) c.calls(), Double::sum);
        if (!s.keyLabels().isEmpty()) {
          overflow.merge(fn, 0.0, Double::sum); // 0 until the key table fills: an alert can watch it
        }
      }
      for (MetricsSnapshot.Timing t : s.timings()) {
        Labels fn = target.add(MetricLabels.FUNCTION, t.function());
        durations.merge(fn.merge(Labels.of(s.keyLabels(), t.key())), t.histogram(), Log2Histogram::plus);
        if (t.other()) {
          overflow.merge(fn, (double) t.histogram().count(), Double::sum);
        }
      }
      for (MetricsSnapshot.State st : s.states()) {
        Labels fn = target.add(MetricLabels.FUNCTION, st.function());
        inFlight.merge(fn, (double) st.inFlight(), Double::sum);
        unmatched.merge(fn, (double) st.unmatchedExits(), Double::sum);
        neverExited.merge(fn, (double) st.neverExited(), Double::sum);
      }
      for (MetricsSnapshot.Launches l : s.launches()) {
        launches.merge(target.add(MetricLabels.FUNCTION, l.function()), (double) l.launches(), Double::sum);
      }
      dropped.merge(target, (double) s.droppedRecords(), Double::sum);
    }
    List<MetricSnapshot> out = new ArrayList<>();
    counter(out, "gotrace_calls", "Calls of a traced function (latency: completed calls; funcs: entries).", calls);
    histogram(out, durations);
    gauge(out, "gotrace_calls_in_flight", "Calls entered and not yet returned.", inFlight);
    counter(out, "gotrace_unmatched_exits", "Returns seen without their entry (traced mid-call).", unmatched);
    counter(out, "gotrace_never_exited", "Calls that never returned: unwound by a panic or their goroutine ended.",
        neverExited);
    counter(out, "gotrace_key_overflow_calls", "Calls whose --by key found the key table full (--max-keys); "
        + "also in the histogram with every key label (other).", overflow);
    counter(out, "gotrace_goroutine_launches", "Goroutines launched, by the function they run.", launches);
    counter(out, "gotrace_dropped_records", "Records the kernel could not deliver (ring buffer full).", dropped);
    return new MetricSnapshots(out);
  }

  /**
   * The classic buckets of {@code h}: bound 2^k ns (in seconds) counts the calls under 2^k ns,
   * exactly (log2 bucket i holds [2^i, 2^(i+1)) ns); the client takes each bucket's own count.
   */
  static ClassicHistogramBuckets buckets(Log2Histogram h) {
    int n = LAST_BOUND - FIRST_BOUND + 2;
    double[] bounds = new double[n];
    long[] counts = new long[n];
    for (int i = 0; i < Log2Histogram.BUCKETS; i++) {
      int k = i + 1; // bucket i's calls are all < 2^k ns
      int slot = k <= FIRST_BOUND ? 0 : k > LAST_BOUND ? n - 1 : k - FIRST_BOUND;
      counts[slot] += h.bucketCount(i);
    }
    for (int k = FIRST_BOUND; k <= LAST_BOUND; k++) {
      bounds[k - FIRST_BOUND] = Unit.nanosToSeconds(1L << k);
    }
    bounds[n - 1] = Double.POSITIVE_INFINITY;
    return ClassicHistogramBuckets.of(bounds, counts);
  }

  private static Labels target(TargetInfo t, boolean pidLabel) {
    Labels l = Labels.of(MetricLabels.BINARY, t.binary(), MetricLabels.GO_VERSION, t.goVersion());
    return pidLabel ? l.add(MetricLabels.PID, Integer.toString(t.pid())) : l;
  }

  private static void counter(List<MetricSnapshot> out, String name, String help, Map<Labels, Double> points) {
    if (points.isEmpty()) {
      return;
    }
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    points.forEach((l, v) -> b.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(v).build()));
    out.add(b.build());
  }

  private static void gauge(List<MetricSnapshot> out, String name, String help, Map<Labels, Double> points) {
    if (points.isEmpty()) {
      return;
    }
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    points.forEach((l, v) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(v).build()));
    out.add(b.build());
  }

  private static void histogram(List<MetricSnapshot> out, Map<Labels, Log2Histogram> points) {
    if (points.isEmpty()) {
      return;
    }
    HistogramSnapshot.Builder b = HistogramSnapshot.builder().name("gotrace_call_duration_seconds")
        .unit(Unit.SECONDS).help("Latency of completed calls, from entry to return.");
    points.forEach((l, h) -> b.dataPoint(HistogramDataPointSnapshot.builder().labels(l)
        .classicHistogramBuckets(buckets(h)).sum(Unit.nanosToSeconds(h.sum())).build()));
    out.add(b.build());
  }
}
