package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.decode.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Completed calls streamed by {@code gotrace latency --calls / --min}: a text line or a JSON object each. */
public final class LatencyCallRenderer {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);

  private final PrintWriter out;
  private final boolean json;
  private final ZoneId zone;
  private final int width;

  private LatencyCallRenderer(PrintWriter out, boolean json, ZoneId zone, int width) {
    this.out = out;
    this.json = json;
    this.zone = zone;
    this.width = width;
  }

  /** Text lines; {@code width} is the longest function name, for alignment. */
  public static LatencyCallRenderer text(PrintWriter out, ZoneId zone, int width) {
    return new LatencyCallRenderer(out, false, zone, width);
  }

  public static LatencyCallRenderer json(PrintWriter out) {
    return new LatencyCallRenderer(out, true, ZoneId.of("UTC"), 0);
  }

  /** One call; {@code site} is its exit site as file:line ("" when unknown). */
  public void call(Event.Completed c, String site) {
    if (json) {
      try {
        JsonGenerator g = Json.generator(out);
        g.writeStartObject();
        g.writeStringField("type", "call");
        g.writeNumberField("time_ns", c.wallNs());
        g.writeNumberField("pid", c.pid());
        g.writeNumberField("goid", c.goid());
        g.writeStringField("function", c.function());
        g.writeNumberField("latency_ns", c.latencyNs());
        g.writeStringField("exit", site);
        g.writeEndObject();
        Json.endLine(g, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      Instant t = Instant.ofEpochSecond(0, c.wallNs());
      out.printf(Locale.ROOT, "%s %7d %6d  %-" + Math.max(1, width) + "s %9s  %s%n", TIME.format(t.atZone(zone)),
          c.pid(), c.goid(), c.function(), HistogramRenderer.duration(c.latencyNs()), site.isEmpty() ? "" : "at " + site);
    }
  }

  public void flush() {
    out.flush();
  }
}
