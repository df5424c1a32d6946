package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.decode.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The stream of {@code gotrace args}: text lines {@code TIME PID GOID main.f(a=1, s="x")} and
 * {@code TIME PID GOID ← main.f = "r" (43µs)}, or NDJSON with {@code ts}, {@code pid}, {@code tid},
 * {@code goid}, {@code event} ("call", "line", "return", "lost"), {@code func}, {@code site} (a line
 * probe's line), {@code args} (a line's: the parameters and locals live there) or
 * {@code results} as lists of {@code {name, type, value}}, and {@code latencyNs} on returns.
 */
public interface ArgsRenderer {
  /** One event; buffered: the command calls {@link #flush} after each poll's batch. */
  void event(Event e);

  /** Makes the events so far visible (after each poll: one write for a whole batch). */
  void flush();

  static ArgsRenderer text(PrintWriter out, ZoneId zone) {
    return new Text(out, zone);
  }

  static ArgsRenderer json(PrintWriter out) {
    return new NdJson(out);
  }

  /** 43µs, 1.25ms, 2.50s. */
  static String latency(long ns) {
    if (ns < 1_000_000) {
      return (ns / 1000) + "µs";
    }
    if (ns < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.2fms", ns / 1e6);
    }
    return String.format(Locale.ROOT, "%.2fs", ns / 1e9);
  }

  /** The call as Go would write it: {@code main.f(a=1, s="x")}. */
  static String call(Event.Entry c) {
    if (!c.site().isEmpty()) {
      return line(c);
    }
    if (!c.argsKnown()) {
      return c.function() + "(…) inlined into " + c.inlinedInto() + " (arguments unavailable)";
    }
    String call = c.function() + "("
        + String.join(", ", c.args().stream().map(a -> a.name() + "=" + a.value()).toList()) + ")";
    return c.inlinedInto().isEmpty() ? call : call + " inlined into " + c.inlinedInto();
  }

  /** The {@code --show} values after an event: {@code " main.requests=3 main.cfg.Mode=\"steady\""}, or "". */
  static String shown(List<Event.Arg> shown) {
    StringBuilder sb = new StringBuilder();
    for (Event.Arg a : shown) {
      sb.append(' ').append(a.name()).append('=').append(a.value());
    }
    return sb.toString();
  }


  /**
   * A line probe: {@code main.go:98 main.loop: n=10 i=3 acc=9}, the copy and where it was
   * inlined when it is one of several: {@code main.go:112 [1/2] main.clamp inlined into main.useClampA at main.go:121: v=0}.
   */
  static String line(Event.Entry c) {
    StringBuilder sb = new StringBuilder(c.site()).append(' ').append(c.function());
    if (!c.inlinedInto().isEmpty()) {
      sb.append(" inlined into ").append(c.inlinedInto());
    }
    if (!c.argsKnown()) {
      return sb.append(" (values unavailable: DWARF does not describe this code)").toString();
    }
    sb.append(':');
    for (Event.Arg a : c.args()) {
      sb.append(' ').append(a.name()).append('=').append(a.value());
    }
    return sb.toString();
  }

  /** The {@code --show} values as NDJSON: {@code "shown":{"main.requests":"3"}}, nothing without. */
  static void shown(JsonGenerator g, List<Event.Arg> shown) throws IOException {
    if (shown.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("shown");
    for (Event.Arg a : shown) {
      g.writeStringField(a.name(), a.value());
    }
    g.writeEndObject();
  }

  /** {@code ← main.f = "r" (43µs)}. */
  static String ret(Event.Return r) {
    StringBuilder sb = new StringBuilder("← ").append(r.function());
    if (!r.resultsKnown()) {
      sb.append(" (left by a tail call: results not read)");
    } else if (!r.results().isEmpty()) {
      sb.append(" = ").append(String.join(", ", r.results().stream().map(Event.Arg::value).toList()));
    }
    if (r.latencyNs() >= 0) {
      sb.append(" (").append(latency(r.latencyNs())).append(')');
    }
    return sb.toString();
  }

  /** Text lines. */
  final class Text implements ArgsRenderer {
    private final PrintWriter out;
    private final TextLine line;

    Text(PrintWriter out, ZoneId zone) {
      this.out = out;
      this.line = new TextLine(zone);
    }

    @Override
    public void event(Event e) {
      line.clear().time(e.wallNs());
      if (e instanceof Event.Entry c) {
        line.append("  pid ").append(c.pid()).append("  goid ").append(c.goid()).append("  ")
            .append(call(c)).append(shown(c.shown())).println(out);
        StackText.print(out, c.stack());
      } else if (e instanceof Event.Return r) {
        line.append("  pid ").append(r.pid()).append("  goid ").append(r.goid()).append("  ")
            .append(ret(r)).println(out);
      } else if (e instanceof Event.Lost l) {
        line.append("  lost ").append(l.count()).append(" events: the ring buffer was full").println(out);
      }
    }

    @Override
    public void flush() {
      out.flush();
    }
  }

  /** NDJSON. */
  final class NdJson implements ArgsRenderer {
    private final PrintWriter out;
    private final JsonGenerator g;

    NdJson(PrintWriter out) {
      this.out = out;
      this.g = Json.generator(out);
    }

    @Override
    public void event(Event e) {
      try {
        g.writeStartObject();
        g.writeNumberField("ts", e.wallNs());
        if (e instanceof Event.Entry c) {
          head(c.pid(), c.tid(), c.goid(), c.site().isEmpty() ? "call" : "line", c.function());
          if (!c.site().isEmpty()) {
            g.writeStringField("site", c.site());
          }
          if (c.argsKnown()) {
            values("args", c.args());
          }
          if (!c.inlinedInto().isEmpty()) {
            g.writeStringField("inlinedInto", c.inlinedInto());
          }
          shown(g, c.shown());
          StackText.json(g, c.stack());
        } else if (e instanceof Event.Return r) {
          head(r.pid(), r.tid(), r.goid(), "return", r.function());
          if (r.resultsKnown()) {
            values("results", r.results());
          }
          if (r.latencyNs() >= 0) {
            g.writeNumberField("latencyNs", r.latencyNs());
          }
        } else if (e instanceof Event.Lost l) {
          g.writeStringField("event", "lost");
          g.writeNumberField("count", l.count());
        }
        g.writeEndObject();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
      Json.endLine(g, out);
    }

    @Override
    public void flush() {
      out.flush();
    }

    private void head(int pid, int tid, long goid, String event, String fn) throws IOException {
      g.writeNumberField("pid", pid);
      g.writeNumberField("tid", tid);
      g.writeNumberField("goid", goid);
      g.writeStringField("event", event);
      g.writeStringField("func", fn);
    }

    private void values(String field, List<Event.Arg> args) throws IOException {
      g.writeArrayFieldStart(field);
      for (Event.Arg a : args) {
        g.writeStartObject();
        g.writeStringField("name", a.name());
        g.writeStringField("type", a.type());
        g.writeStringField("value", a.value());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }
}
