package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.ValueHistogram;
import dev.gotrace.core.query.KeyValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The tables of {@code --hist}: per function (and {@code --by} key) a summary line (count, sum,
 * mean, min, max) and the non-empty buckets from the smallest values up as
 * {@code [lo, hi)  count |@@@@  |} rows, in the value's units; or one JSON object.
 */
public final class ValueHistogramRenderer {
  private final PrintWriter out;
  private final boolean json;

  private ValueHistogramRenderer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  public static ValueHistogramRenderer text(PrintWriter out) {
    return new ValueHistogramRenderer(out, false);
  }

  public static ValueHistogramRenderer json(PrintWriter out) {
    return new ValueHistogramRenderer(out, true);
  }

  /** Renders {@code rows} of {@code expr} ("v"), labelled with the --by texts {@code by}. */
  public void table(String expr, List<String> by, List<ValueHistogram> rows, double seconds) {
    if (json) {
      json(expr, by, rows, seconds);
    } else {
      text(expr, by, rows);
    }
    out.flush();
  }

  private void text(String expr, List<String> by, List<ValueHistogram> rows) {
    if (rows.isEmpty()) {
      out.println("no calls counted");
    }
    for (ValueHistogram h : rows) {
      StringBuilder head = new StringBuilder(h.function()).append("  ").append(expr);
      head.append(keyText(by, h));
      head.append("  count ").append(h.count());
      if (!Double.isNaN(h.mean())) {
        head.append("  sum ").append(h.sum()).append(String.format(Locale.ROOT, "  mean %.4g", h.mean()));
      }
      if (h.count() > 0) {
        head.append("  min ").append(h.min()).append("  max ").append(h.max());
      }
      if (h.nan() > 0) {
        head.append("  NaN ").append(h.nan());
      }
      if (h.unreadable() > 0) {
        head.append("  unreadable ").append(h.unreadable());
      }
      out.println(head);
      long[] b = h.buckets();
      long most = 0;
      int first = -1;
      int last = -1;
      for (int i = 0; i < b.length; i++) {
        if (b[i] > 0) {
          most = Math.max(most, b[i]);
          first = first < 0 ? i : first;
          last = i;
        }
      }
      int width = 0;
      for (int i = first; i >= 0 && i <= last; i++) {
        width = Math.max(width, ValueHistogram.label(h.kind(), i).length());
      }
      for (int i = first; i >= 0 && i <= last; i++) {
        int bar = (int) Math.round((double) b[i] * HistogramRenderer.BAR / most);
        out.printf(Locale.ROOT, "  %-" + width + "s %8d |%-" + HistogramRenderer.BAR + "s|%n",
            ValueHistogram.label(h.kind(), i), b[i], "@".repeat(bar));
      }
      out.println();
    }
  }

  private static String keyText(List<String> by, ValueHistogram h) {
    if (h.other()) {
      return "  (other)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < h.key().size() && i < by.size(); i++) {
      sb.append("  ").append(by.get(i)).append('=').append(h.key().get(i).text());
    }
    return sb.toString();
  }

  private void json(String expr, List<String> by, List<ValueHistogram> rows, double seconds) {
    JsonGenerator g = Json.generator(out);
    try {
      g.writeStartObject();
      g.writeStringField("hist", expr);
      g.writeNumberField("seconds", seconds);
      g.writeArrayFieldStart("rows");
      for (ValueHistogram h : rows) {
        g.writeStartObject();
        g.writeStringField("func", h.function());
        if (h.other()) {
          g.writeBooleanField("other", true);
        } else if (!h.key().isEmpty()) {
          g.writeObjectFieldStart("key");
          for (int i = 0; i < h.key().size() && i < by.size(); i++) {
            KeyValue k = h.key().get(i);
            g.writeStringField(by.get(i), k.text());
          }
          g.writeEndObject();
        }
        g.writeStringField("kind", h.kind().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("count", h.count());
        if (!Double.isNaN(h.mean())) {
          g.writeNumberField("sum", h.sum());
        }
        if (h.count() > 0) {
          g.writeStringField("min", h.min());
          g.writeStringField("max", h.max());
        }
        g.writeNumberField("nan", h.nan());
        g.writeNumberField("unreadable", h.unreadable());
        g.writeArrayFieldStart("buckets");
        long[] b = h.buckets();
        for (int i = 0; i < b.length; i++) {
          if (b[i] > 0) {
            g.writeStartObject();
            g.writeNumberField("bucket", i - ValueHistogram.ZERO);
            g.writeStringField("range", ValueHistogram.label(h.kind(), i));
            g.writeNumberField("count", b[i]);
            g.writeEndObject();
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    Json.endLine(g, out);
  }
}
