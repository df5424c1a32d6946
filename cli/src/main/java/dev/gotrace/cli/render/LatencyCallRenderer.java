package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.decode.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;

/** Completed calls streamed by {@code gotrace latency --calls / --min}: a text line or a JSON object each. */
public final class LatencyCallRenderer {
  private final PrintWriter out;
  private final boolean json;
  private final int width;
  private final TextLine line;
  private JsonGenerator generator;

  private LatencyCallRenderer(PrintWriter out, boolean json, ZoneId zone, int width) {
    this.out = out;
    this.json = json;
    this.width = width;
    this.line = new TextLine(zone);
  }

  /** Text lines; {@code width} is the longest function name, for alignment. */
  public static LatencyCallRenderer text(PrintWriter out, ZoneId zone, int width) {
    return new LatencyCallRenderer(out, false, zone, width);
  }

  public static LatencyCallRenderer json(PrintWriter out) {
    return new LatencyCallRenderer(out, true, ZoneId.of("UTC"), 0);
  }

  /** One call, buffered until {@link #flush}; {@code site} is its exit site as file:line ("" when unknown). */
  public void call(Event.Completed c, String site) {
    if (json) {
      try {
        if (generator == null) {
          generator = Json.generator(out);
        }
        JsonGenerator g = generator;
        g.writeStartObject();
        g.writeStringField("type", "call");
        g.writeNumberField("time_ns", c.wallNs());
        g.writeNumberField("pid", c.pid());
        g.writeNumberField("goid", c.goid());
        g.writeStringField("function", c.function());
        g.writeNumberField("latency_ns", c.latencyNs());
        g.writeStringField("exit", site);
        StackText.json(g, c.stack());
        g.writeEndObject();
        Json.endLine(g, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      line.clear().time(c.wallNs()).append(' ').right(c.pid(), 7).append(' ').right(c.goid(), 6).spaces(2)
          .left(c.function(), Math.max(1, width)).append(' ');
      int d = line.mark();
      line.duration(c.latencyNs()).padFrom(d, 9).spaces(2);
      if (!site.isEmpty()) {
        line.append("at ").append(site);
      }
      line.println(out);
      StackText.print(out, c.stack());
    }
  }

  public void flush() {
    out.flush();
  }
}
