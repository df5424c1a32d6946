package dev.gotrace.export.otlp;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.metrics.MetricLabels;
import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.TargetInfo;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MetricsSnapshot} as OTLP metrics, cumulative since the trace began. The names are
 * OpenTelemetry's (no {@code _total}, the unit apart), chosen so that Prometheus' OTLP
 * translation (3.x, {@code UnderscoreEscapingWithSuffixes}) gives the names of its /metrics
 * endpoint: a monotonic sum gets {@code _total}, unit {@code s} adds {@code _seconds}, so
 * {@code gotrace_calls} arrives as {@code gotrace_calls_total} and the histogram
 * {@code gotrace_call_duration} (s) as {@code gotrace_call_duration_seconds}.
 */
final class OtlpMetrics {
  static final String CALLS = "gotrace_calls";
  static final String DURATION = "gotrace_call_duration";
  static final String IN_FLIGHT = "gotrace_calls_in_flight";
  static final String UNMATCHED = "gotrace_unmatched_exits";
  static final String NEVER_EXITED = "gotrace_never_exited";
  static final String OVERFLOW = "gotrace_key_overflow_calls";
  static final String LAUNCHES = "gotrace_goroutine_launches";
  static final String DROPPED = "gotrace_dropped_records";

  /** The smallest and largest classic bucket bound, as powers of two of nanoseconds (512 ns, 34.4 s). */
  static final int FIRST_BOUND = 9, LAST_BOUND = 35;
  /** The bucket bounds in seconds: 2^9 ns ... 2^35 ns, the +Inf bucket implied. */
  static final List<Double> BOUNDS;

  static {
    List<Double> b = new ArrayList<>();
    for (int k = FIRST_BOUND; k <= LAST_BOUND; k++) {
      b.add((1L << k) / 1e9);
    }
    BOUNDS = List.copyOf(b);
  }

  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("gotrace");

  private OtlpMetrics() {}

  /**
   * The snapshot's metrics; only those it measures (a funcs snapshot has calls and drops), and
   * the drop counter always.
   *
   * @param startNs when counting began, ns since the epoch
   * @param nowNs the time of every point
   */
  static List<MetricData> of(MetricsSnapshot s, boolean pidLabel, long startNs, long nowNs) {
    Resource resource = TargetResource.of(s.target());
    Attributes common = common(s.target(), pidLabel);
    Points p = new Points(startNs, nowNs);
    List<MetricData> out = new ArrayList<>();
    for (MetricsSnapshot.Calls c : s.calls()) {
      p.add(CALLS, function(common, c.function()), c.calls());
    }
    Map<String, Long> overflow = new LinkedHashMap<>();
    List<HistogramPointData> histograms = new ArrayList<>();
    for (MetricsSnapshot.Timing t : s.timings()) {
      AttributesBuilder a = function(common, t.function()).toBuilder();
      for (int i = 0; i < s.keyLabels().size(); i++) {
        a.put(s.keyLabels().get(i), t.key().get(i));
      }
      histograms.add(histogram(a.build(), t.histogram(), startNs, nowNs));
      if (!s.keyLabels().isEmpty()) {
        overflow.merge(t.function(), t.other() ? t.histogram().count() : 0, Long::sum);
      }
    }
    for (MetricsSnapshot.State st : s.states()) {
      Attributes f = function(common, st.function());
      p.add(IN_FLIGHT, f, st.inFlight());
      p.add(UNMATCHED, f, st.unmatchedExits());
      p.add(NEVER_EXITED, f, st.neverExited());
    }
    overflow.forEach((f, n) -> p.add(OVERFLOW, function(common, f), n));
    for (MetricsSnapshot.Launches l : s.launches()) {
      p.add(LAUNCHES, function(common, l.function()), l.launches());
    }
    p.add(DROPPED, common, s.droppedRecords());

    p.sum(out, resource, CALLS, "Completed calls (latency) or calls seen (funcs), per function.");
    if (!histograms.isEmpty()) {
      out.add(new Metric(resource, SCOPE, DURATION, "Call latency from entry to exit, measured in the kernel.",
          "s", MetricDataType.HISTOGRAM, HistogramData.create(AggregationTemporality.CUMULATIVE, histograms)));
    }
    if (p.has(IN_FLIGHT)) {
      out.add(new Metric(resource, SCOPE, IN_FLIGHT, "Calls entered and not yet returned.", "",
          MetricDataType.LONG_GAUGE, GaugeData.createLongGaugeData(p.points(IN_FLIGHT))));
    }
    p.sum(out, resource, UNMATCHED, "Exits whose entry was not seen (the call began before tracing).");
    p.sum(out, resource, NEVER_EXITED, "Calls that never returned: unwound by a panic or ended with their goroutine.");
    p.sum(out, resource, OVERFLOW, "Calls whose --by key found the key table full (--max-keys), counted as (other).");
    p.sum(out, resource, LAUNCHES, "Goroutines launched, per function the goroutine runs.");
    p.sum(out, resource, DROPPED, "Records the kernel could not deliver (ring buffer full).");
    return out;
  }

  /**
   * The log2 histogram in classic buckets: bucket j counts the calls below {@code BOUNDS[j]}
   * and at or above the bound before, which is exact because every bound is a log2 bucket's
   * lower edge (a call of exactly 2^k ns counts in the bucket above {@code le=2^k}, where OTLP's
   * upper-inclusive bounds would put it below).
   */
  static HistogramPointData histogram(Attributes a, Log2Histogram h, long startNs, long nowNs) {
    List<Long> counts = new ArrayList<>();
    long below = 0;
    for (int i = 0; i < FIRST_BOUND; i++) {
      below += h.bucketCount(i);
    }
    counts.add(below);
    for (int k = FIRST_BOUND + 1; k <= LAST_BOUND; k++) {
      counts.add(h.bucketCount(k - 1));
    }
    long above = 0;
    for (int i = LAST_BOUND; i < Log2Histogram.BUCKETS; i++) {
      above += h.bucketCount(i);
    }
    counts.add(above);
    boolean any = h.count() > 0;
    return HistogramPointData.create(startNs, nowNs, a, h.sum() / 1e9, any, h.min() / 1e9, any, h.max() / 1e9,
        BOUNDS, counts);
  }

  private static Attributes common(TargetInfo t, boolean pidLabel) {
    AttributesBuilder a = Attributes.builder()
        .put(MetricLabels.BINARY, t.binary())
        .put(MetricLabels.GO_VERSION, t.goVersion());
    if (pidLabel && t.pid() > 0) {
      a.put(MetricLabels.PID, Integer.toString(t.pid()));
    }
    return a.build();
  }

  private static Attributes function(Attributes common, String function) {
    return common.toBuilder().put(MetricLabels.FUNCTION, function).build();
  }

  /** Long points per metric name, in the order added. */
  private static final class Points {
    private final long startNs;
    private final long nowNs;
    private final Map<String, List<LongPointData>> byName = new LinkedHashMap<>();

    Points(long startNs, long nowNs) {
      this.startNs = startNs;
      this.nowNs = nowNs;
    }

    void add(String name, Attributes a, long value) {
      byName.computeIfAbsent(name, k -> new ArrayList<>()).add(LongPointData.create(startNs, nowNs, a, value));
    }

    boolean has(String name) {
      return byName.containsKey(name);
    }

    List<LongPointData> points(String name) {
      return byName.getOrDefault(name, List.of());
    }

    /** A cumulative monotonic sum of the points of {@code name}, when there are any. */
    void sum(List<MetricData> out, Resource resource, String name, String description) {
      if (has(name)) {
        out.add(new Metric(resource, SCOPE, name, description, "", MetricDataType.LONG_SUM,
            SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, points(name))));
      }
    }
  }
}
