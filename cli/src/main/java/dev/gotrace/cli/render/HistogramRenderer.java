package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.Durations;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.Log2Histogram;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
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

  /**
   * The order of {@code --top}: the most calls first (ties in plan order); without it, plan order.
   */
  public static final Comparator<FunctionLatency> MOST_CALLS =
      Comparator.comparingLong((FunctionLatency f) -> f.histogram().count()).reversed();

  private final PrintWriter out;
  private final boolean json;
  private final RowFilter filter;
  private final TextLine line = new TextLine(java.time.ZoneOffset.UTC);

  private HistogramRenderer(PrintWriter out, boolean json, RowFilter filter) {
    this.out = out;
    this.json = json;
    this.filter = filter;
  }

  /** Text tables of every function. */
  public static HistogramRenderer text(PrintWriter out) {
    return text(out, RowFilter.EVERY);
  }

  /** Text tables of the functions {@code filter} shows, with a line saying how many it left out. */
  public static HistogramRenderer text(PrintWriter out, RowFilter filter) {
    return new HistogramRenderer(out, false, filter);
  }

  /** JSON tables of every function. */
  public static HistogramRenderer json(PrintWriter out) {
    return json(out, RowFilter.EVERY);
  }

  /** JSON tables of the functions {@code filter} shows; {@code not_shown} counts the others. */
  public static HistogramRenderer json(PrintWriter out, RowFilter filter) {
    return new HistogramRenderer(out, true, filter);
  }

  /** Whether a function did anything: completed calls, or entries or exits not (yet) in the numbers. */
  static boolean active(FunctionLatency f) {
    return f.histogram().count() + f.unmatchedExits() + f.neverExited() + f.inFlight() > 0;
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
    table(functions, seconds, last, exact, sites, KeyedSections.NONE);
  }

  /** As above, with each function's calls also by key ({@code --by}): a section per (function, key). */
  public void table(List<FunctionLatency> functions, double seconds, boolean last, Map<Long, long[]> exact,
      Map<Long, List<SiteRow>> sites, KeyedSections keyed) {
    RowFilter.Shown<FunctionLatency> shown = filter.apply(functions, HistogramRenderer::active,
        filter.top() > 0 ? MOST_CALLS : null);
    if (json) {
      json(shown, seconds, last, exact, sites, keyed);
    } else {
      text(shown, seconds, last, exact, sites, keyed);
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

  private void text(RowFilter.Shown<FunctionLatency> shown, double seconds, boolean last, Map<Long, long[]> exact,
      Map<Long, List<SiteRow>> sites, KeyedSections keyed) {
    out.printf(Locale.ROOT, "%s after %.1f s (percentiles estimated from log2 buckets; count, mean and max exact)%n",
        last ? "Latency" : "Latency so far", seconds);
    for (FunctionLatency f : shown.rows()) {
      Log2Histogram h = f.histogram();
      out.println();
      summary(line.clear().append(f.function()), h).println(out);
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
      if (!keyed.present()) {
        rows(h, line, () -> line.println(out));
        continue;
      }
      for (KeyedLatency k : keyed.of(f.entry())) {
        Log2Histogram kh = k.histogram();
        out.println();
        summary(line.clear().append(f.function()).append("  ").append(keyed.label(k)), kh).println(out);
        if (k.other()) {
          out.println(keyed.otherNote());
        }
        rows(kh, line, () -> line.println(out));
      }
    }
    shown.note().ifPresent(n -> {
      out.println();
      out.println(n);
    });
  }

  /** Appends {@code   count N  mean ...  max M} of {@code h} to {@code line}. */
  private static TextLine summary(TextLine line, Log2Histogram h) {
    return line.append("  count ").append(h.count()).append("  mean ").append(duration(h.mean())).append("  p50 ~")
        .append(duration(h.percentile(0.5))).append("  p90 ~").append(duration(h.percentile(0.9))).append("  p99 ~")
        .append(duration(h.percentile(0.99))).append("  max ").duration(h.max());
  }

  /** The histogram rows, from the first to the last non-empty bucket. */
  static List<String> rows(Log2Histogram h) {
    ArrayList<String> rows = new ArrayList<>();
    TextLine line = new TextLine(java.time.ZoneOffset.UTC);
    rows(h, line, () -> rows.add(line.toString()));
    return rows;
  }

  /** Builds each histogram row in {@code line} and calls {@code done} after each one. */
  private static void rows(Log2Histogram h, TextLine line, Runnable done) {
    int first = h.firstBucket();
    if (first < 0) {
      return;
    }
    int last = h.lastBucket();
    long peak = 0;
    int width = 0;
    for (int i = first; i <= last; i++) {
      peak = Math.max(peak, h.bucketCount(i));
      int m = line.clear().mark();
      label(line, i);
      width = Math.max(width, line.mark() - m);
    }
    int countWidth = Long.toString(peak).length();
    for (int i = first; i <= last; i++) {
      long c = h.bucketCount(i);
      int bar = (int) (c * BAR / peak);
      if (c > 0 && bar == 0) {
        bar = 1;
      }
      line.clear().spaces(2);
      int m = line.mark();
      label(line, i);
      line.padAfter(m, width).append(' ').right(c, countWidth).append(" |");
      for (int b = 0; b < BAR; b++) {
        line.append(b < bar ? '@' : ' ');
      }
      line.append('|');
      done.run();
    }
  }

  /** {@code [lo, hi)} of bucket {@code i}. */
  private static void label(TextLine line, int i) {
    line.append('[');
    bound(line, Log2Histogram.lower(i));
    line.append(", ");
    bound(line, Log2Histogram.upper(i));
    line.append(')');
  }

  private static void bound(TextLine line, long ns) {
    if (ns == Long.MAX_VALUE) {
      line.append("inf");
    } else {
      line.duration(ns);
    }
  }

  /** A bucket bound: a power of two in ns, shown in the largest unit that keeps it readable. */
  static String bound(long ns) {
    if (ns == Long.MAX_VALUE) {
      return "inf";
    }
    return duration(ns);
  }

  /** {@code count, sum_ns, mean_ns, p50_ns, p90_ns, p99_ns, max_ns} of {@code h} (percentiles from its buckets). */
  static void stats(JsonGenerator g, Log2Histogram h) throws IOException {
    g.writeNumberField("count", h.count());
    g.writeNumberField("sum_ns", h.sum());
    g.writeNumberField("mean_ns", Math.round(h.mean()));
    g.writeNumberField("p50_ns", Math.round(h.percentile(0.5)));
    g.writeNumberField("p90_ns", Math.round(h.percentile(0.9)));
    g.writeNumberField("p99_ns", Math.round(h.percentile(0.99)));
    g.writeNumberField("max_ns", h.max());
  }

  /** {@code "buckets": [{lo_ns, hi_ns, count}...]}, the non-empty range of {@code h}. */
  static void buckets(JsonGenerator g, Log2Histogram h) throws IOException {
    g.writeArrayFieldStart("buckets");
    for (int i = h.firstBucket(); i >= 0 && i <= h.lastBucket(); i++) {
      g.writeStartObject();
      g.writeNumberField("lo_ns", Log2Histogram.lower(i));
      g.writeNumberField("hi_ns", Log2Histogram.upper(i));
      g.writeNumberField("count", h.bucketCount(i));
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** ns as 950ns, 1.5us, 20.3ms, 1.20s: {@link dev.gotrace.core.agg.Durations#text}. */
  public static String duration(double ns) {
    return Durations.text(ns);
  }

  private void json(RowFilter.Shown<FunctionLatency> shown, double seconds, boolean last, Map<Long, long[]> exact,
      Map<Long, List<SiteRow>> sites, KeyedSections keyed) {
    try {
      JsonGenerator g = Json.generator(out);
      g.writeStartObject();
      g.writeStringField("type", last ? "latency" : "latency_interval");
      g.writeNumberField("seconds", Math.round(seconds * 1000) / 1000.0);
      g.writeBooleanField("percentiles_exact", false);
      g.writeObjectFieldStart("not_shown");
      g.writeNumberField("without_calls", shown.withoutCalls());
      g.writeNumberField("beyond_top", shown.beyondTop());
      g.writeEndObject();
      g.writeArrayFieldStart("functions");
      for (FunctionLatency f : shown.rows()) {
        Log2Histogram h = f.histogram();
        g.writeStartObject();
        g.writeStringField("function", f.function());
        stats(g, h);
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
        buckets(g, h);
        if (keyed.present()) {
          keyed.json(g, f.entry());
        }
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
