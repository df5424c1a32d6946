package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.Log2Histogram;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latency table of {@code gotrace latency}: per function a summary line (count, mean, p50,
 * p90, p99, max; percentiles estimated from log2 buckets) and the histogram as
 * {@code [lo, hi)  count |@@@@   |} rows; or one JSON object per snapshot.
 */
public final class HistogramRenderer {
  /** Width of the {@code @} bar of the fullest bucket. */
  static final int BAR = 40;

  private final PrintWriter out;
  private final boolean json;

  private HistogramRenderer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  public static HistogramRenderer text(PrintWriter out) {
    return new HistogramRenderer(out, false);
  }

  public static HistogramRenderer json(PrintWriter out) {
    return new HistogramRenderer(out, true);
  }

  /**
   * One snapshot of every function. {@code seconds} is the time traced so far; {@code last} marks
   * the final table.
   */
  public void table(List<FunctionLatency> functions, double seconds, boolean last) {
    table(functions, seconds, last, Map.of());
  }

  /**
   * As {@link #table(List, double, boolean)}, with the exact latencies of every call of some
   * functions (keyed by {@link FunctionLatency#entry}, their identity) (streamed with {@code --calls}): their exact percentiles are shown too.
   */
  public void table(List<FunctionLatency> functions, double seconds, boolean last, Map<Long, long[]> exact) {
    table(functions, seconds, last, exact, Map.of());
  }

  /** One exit site's share of a function's calls ({@code --by-site}). */
  public record SiteRow(String where, String kind, long count, double meanNs) {}

  /** As above, with each function's calls broken down by exit site. */
  public void table(List<FunctionLatency> functions, double seconds, boolean last, Map<Long, long[]> exact,
      Map<Long, List<SiteRow>> sites) {
    if (json) {
      json(functions, seconds, last, exact, sites);
    } else {
      text(functions, seconds, last, exact, sites);
    }
    out.flush();
  }

  /** Nearest-rank {@code q}-quantile of sorted values: the value of rank ceil(q * n). */
  static long exactPercentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1];
  }

  private void text(List<FunctionLatency> functions, double seconds, boolean last, Map<Long, long[]> exact,
      Map<Long, List<SiteRow>> sites) {
    out.printf(Locale.ROOT, "%s after %.1f s (percentiles estimated from log2 buckets; count, mean and max exact)%n",
        last ? "Latency" : "Latency so far", seconds);
    for (FunctionLatency f : functions) {
      Log2Histogram h = f.histogram();
      out.println();
      out.printf(Locale.ROOT, "%s  count %d  mean %s  p50 ~%s  p90 ~%s  p99 ~%s  max %s%n", f.function(),
          h.count(), duration(h.mean()), duration(h.percentile(0.5)), duration(h.percentile(0.9)),
          duration(h.percentile(0.99)), duration(h.max()));
      if (f.unmatchedExits() + f.neverExited() + f.inFlight() > 0) {
        out.printf(Locale.ROOT, "  not in the numbers: %d exits without their entry, %d entries never exited,"
            + " %d in flight%n", f.unmatchedExits(), f.neverExited(), f.inFlight());
      }
      long[] e = exact.get(f.entry());
      if (e != null && e.length > 0) {
        out.printf(Locale.ROOT, "  exact over %d streamed calls: p50 %s  p90 %s  p99 %s%n", e.length,
            duration(exactPercentile(e, 0.5)), duration(exactPercentile(e, 0.9)), duration(exactPercentile(e, 0.99)));
      }
      for (SiteRow r : sites.getOrDefault(f.entry(), List.of())) {
        out.printf(Locale.ROOT, "  exit %s (%s)  count %d  mean %s%n", r.where(), r.kind(), r.count(),
            duration(r.meanNs()));
      }
      rows(h).forEach(out::println);
    }
  }

  /** The histogram rows, from the first to the last non-empty bucket. */
  static List<String> rows(Log2Histogram h) {
    int first = h.firstBucket();
    if (first < 0) {
      return List.of();
    }
    int last = h.lastBucket();
    long peak = 0;
    for (int i = first; i <= last; i++) {
      peak = Math.max(peak, h.bucketCount(i));
    }
    String[] labels = new String[last - first + 1];
    int width = 0;
    for (int i = first; i <= last; i++) {
      labels[i - first] = "[" + bound(Log2Histogram.lower(i)) + ", " + bound(Log2Histogram.upper(i)) + ")";
      width = Math.max(width, labels[i - first].length());
    }
    int countWidth = Long.toString(peak).length();
    java.util.ArrayList<String> rows = new java.util.ArrayList<>();
    for (int i = first; i <= last; i++) {
      long c = h.bucketCount(i);
      int bar = (int) (c * BAR / peak);
      if (c > 0 && bar == 0) {
        bar = 1;
      }
      rows.add(String.format(Locale.ROOT, "  %-" + width + "s %" + countWidth + "d |%s%s|", labels[i - first], c,
          "@".repeat(bar), " ".repeat(BAR - bar)));
    }
    return rows;
  }

  /** A bucket bound: a power of two in ns, shown in the largest unit that keeps it readable. */
  static String bound(long ns) {
    if (ns == Long.MAX_VALUE) {
      return "inf";
    }
    return duration(ns);
  }

  /** ns as 950ns, 1.5us, 20.3ms, 1.20s (three significant digits). */
  public static String duration(double ns) {
    if (ns < 1000) {
      return String.format(Locale.ROOT, "%.0fns", ns);
    }
    String[] units = {"us", "ms", "s"};
    double v = ns;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    String num = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    return num + units[u];
  }

  private void json(List<FunctionLatency> functions, double seconds, boolean last, Map<Long, long[]> exact,
      Map<Long, List<SiteRow>> sites) {
    try {
      JsonGenerator g = Json.generator(out);
      g.writeStartObject();
      g.writeStringField("type", last ? "latency" : "latency_interval");
      g.writeNumberField("seconds", Math.round(seconds * 1000) / 1000.0);
      g.writeBooleanField("percentiles_exact", false);
      g.writeArrayFieldStart("functions");
      for (FunctionLatency f : functions) {
        Log2Histogram h = f.histogram();
        g.writeStartObject();
        g.writeStringField("function", f.function());
        g.writeNumberField("count", h.count());
        g.writeNumberField("sum_ns", h.sum());
        g.writeNumberField("mean_ns", Math.round(h.mean()));
        g.writeNumberField("p50_ns", Math.round(h.percentile(0.5)));
        g.writeNumberField("p90_ns", Math.round(h.percentile(0.9)));
        g.writeNumberField("p99_ns", Math.round(h.percentile(0.99)));
        g.writeNumberField("max_ns", h.max());
        g.writeNumberField("unmatched_exits", f.unmatchedExits());
        g.writeNumberField("never_exited", f.neverExited());
        g.writeNumberField("in_flight", f.inFlight());
        long[] e = exact.get(f.entry());
        if (e != null && e.length > 0) {
          g.writeObjectFieldStart("exact");
          g.writeNumberField("calls", e.length);
          g.writeNumberField("p50_ns", exactPercentile(e, 0.5));
          g.writeNumberField("p90_ns", exactPercentile(e, 0.9));
          g.writeNumberField("p99_ns", exactPercentile(e, 0.99));
          g.writeEndObject();
        }
        List<SiteRow> rows = sites.get(f.entry());
        if (rows != null) {
          g.writeArrayFieldStart("exits");
          for (SiteRow r : rows) {
            g.writeStartObject();
            g.writeStringField("at", r.where());
            g.writeStringField("kind", r.kind());
            g.writeNumberField("count", r.count());
            g.writeNumberField("mean_ns", Math.round(r.meanNs()));
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeArrayFieldStart("buckets");
        for (int i = h.firstBucket(); i >= 0 && i <= h.lastBucket(); i++) {
          g.writeStartObject();
          g.writeNumberField("lo_ns", Log2Histogram.lower(i));
          g.writeNumberField("hi_ns", Log2Histogram.upper(i));
          g.writeNumberField("count", h.bucketCount(i));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      Json.endLine(g, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
