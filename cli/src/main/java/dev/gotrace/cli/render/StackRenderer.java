package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.profile.StackProfile;
import dev.gotrace.core.stack.Frame;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code latency --stacks} at the end: per traced function (most calls first) its stacks, most
 * calls first, each with its count and share, p50, p99 and max (estimated from the kernel's log2
 * buckets, as the table's are), and its frames innermost first, one indented line each
 * ({@code main.wrap (main.go:175, inlined)}, the file's base name), a cut stack's reason last.
 * At most {@link #SHOWN} stacks a function; the rest are counted in one line (the files hold
 * them all). As JSON: one {@code "type":"latency_stacks"} object per function.
 */
public final class StackRenderer {
  /** Stacks shown per function in text. */
  public static final int SHOWN = 10;
  private final PrintWriter out;
  private final boolean json;

  private StackRenderer(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** How a renderer is made for a writer: {@link #text} or {@link #json}. */
  @FunctionalInterface
  public interface Factory {
    StackRenderer of(PrintWriter out);
  }

  public static StackRenderer text(PrintWriter out) {
    return new StackRenderer(out, false);
  }

  public static StackRenderer json(PrintWriter out) {
    return new StackRenderer(out, true);
  }

  /** Writes every function's stacks. */
  public void render(StackProfile profile) {
    for (Map.Entry<String, List<StackProfile.Sample>> e : profile.byFunction().entrySet()) {
      if (json) {
        json(e.getKey(), e.getValue());
      } else {
        text(e.getKey(), e.getValue());
      }
    }
    out.flush();
  }

  private void text(String function, List<StackProfile.Sample> samples) {
    long calls = samples.stream().mapToLong(StackProfile.Sample::calls).sum();
    out.println();
    out.println(function + ": " + calls + " call" + (calls == 1 ? "" : "s") + " from " + samples.size() + " stack"
        + (samples.size() == 1 ? "" : "s"));
    for (int i = 0; i < Math.min(SHOWN, samples.size()); i++) {
      StackProfile.Sample s = samples.get(i);
      Log2Histogram h = s.latency();
      out.println("  " + s.calls() + " call" + (s.calls() == 1 ? "" : "s") + " (" + percent(s.calls(), calls)
          + ")  p50 " + HistogramRenderer.duration(h.percentile(0.5)) + "  p99 "
          + HistogramRenderer.duration(h.percentile(0.99)) + "  max " + HistogramRenderer.duration(h.max()));
      for (Frame f : s.stack().frames()) {
        out.println("      " + frame(f));
      }
      StackProfile.cutFrame(s.stack()).ifPresent(c -> out.println("      " + c));
    }
    if (samples.size() > SHOWN) {
      long rest = samples.subList(SHOWN, samples.size()).stream().mapToLong(StackProfile.Sample::calls).sum();
      int n = samples.size() - SHOWN;
      out.println("  ... " + n + " more stack" + (n == 1 ? "" : "s") + ", " + rest + " call" + (rest == 1 ? "" : "s")
          + " (--folded, --flame and --pprof hold every stack)");
    }
  }

  /** "main.leaf (main.go:151)", "main.wrap (main.go:175, inlined)", "? (0x4a1000)" for a PC in no function. */
  static String frame(Frame f) {
    String file = f.file().isEmpty() ? String.format(Locale.ROOT, "0x%x", f.pc())
        : f.file().substring(f.file().lastIndexOf('/') + 1) + ":" + f.line();
    return f.function() + " (" + file + (f.inlined() ? ", inlined" : "") + ")";
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  private void json(String function, List<StackProfile.Sample> samples) {
    try {
      JsonGenerator g = Json.generator(out);
      g.writeStartObject();
      g.writeStringField("type", "latency_stacks");
      g.writeStringField("function", function);
      g.writeNumberField("count", samples.stream().mapToLong(StackProfile.Sample::calls).sum());
      g.writeArrayFieldStart("stacks");
      for (StackProfile.Sample s : samples) {
        g.writeStartObject();
        HistogramRenderer.stats(g, s.latency());
        g.writeStringField("end", s.stack().end().name().toLowerCase(Locale.ROOT));
        if (!s.stack().endDetail().isEmpty()) {
          g.writeStringField("end_detail", s.stack().endDetail());
        }
        g.writeArrayFieldStart("frames");
        for (Frame f : s.stack().frames()) {
          g.writeStartObject();
          g.writeStringField("function", f.function());
          g.writeStringField("file", f.file());
          g.writeNumberField("line", f.line());
          g.writeBooleanField("inlined", f.inlined());
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
