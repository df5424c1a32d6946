package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.decode.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;

/**
 * The live stream of {@code gotrace funcs}: aligned text (time, pid, goid, function, caller and
 * its file:line) or NDJSON with fields {@code ts} (ns since the epoch), {@code pid}, {@code tid},
 * {@code goid}, {@code event}, {@code func}, {@code caller}, {@code callerFile},
 * {@code callerLine}; and the summary at the end.
 */
public interface CallRenderer {
  /** Printed once before the first event. */
  void header();

  /** One event; buffered: the command calls {@link #flush} after each poll's batch. */
  void event(Event e);

  /** Makes the events so far visible (after each poll: one write for a whole batch). */
  void flush();

  /** Printed once at the end; {@code seconds} is how long the trace ran. */
  void summary(CallCounts counts, double seconds);

  /** Aligned text; {@code functionWidth} is the longest traced name. */
  static CallRenderer text(PrintWriter out, ZoneId zone, int functionWidth) {
    return new Text(out, zone, Math.max(8, Math.min(functionWidth, 60)));
  }

  /** NDJSON events on {@code out}; the summary, for people, on {@code err}. */
  static CallRenderer json(PrintWriter out, PrintWriter err) {
    return new NdJson(out, err);
  }

  /** The summary as text. */
  static void summaryText(PrintWriter out, CallCounts counts, double seconds) {
    out.printf("%d calls in %.1f s, %d dropped%n", counts.total(), seconds, counts.lost());
    int w = 5;
    for (CallCounts.Row r : counts.rows()) {
      w = Math.max(w, Long.toString(r.calls()).length());
    }
    for (CallCounts.Row r : counts.rows()) {
      out.printf("  %" + w + "d  %s%n", r.calls(), r.function());
    }
    out.flush();
  }

  /** The last path element of a source file, for the text view. */
  static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }

  /** Aligned text. */
  final class Text implements CallRenderer {
    private final ClockText clock;
    private final PrintWriter out;
    private final String format;

    Text(PrintWriter out, ZoneId zone, int functionWidth) {
      this.out = out;
      this.clock = new ClockText(zone);
      this.format = "%-15s  %7s  %6s  %-" + functionWidth + "s  %s%n";
    }

    @Override
    public void header() {
      out.printf(format, "TIME", "PID", "GOID", "FUNCTION", "CALLER");
      out.flush();
    }

    @Override
    public void event(Event e) {
      String time = clock.of(e.wallNs());
      if (e instanceof Event.Call c) {
        Event.Caller k = c.caller();
        String caller = k.line() > 0 ? k.function() + " (" + shortFile(k.file()) + ":" + k.line() + ")"
            : k.function();
        out.printf(format, time, c.pid(), c.goid(), c.function(), caller);
      } else if (e instanceof Event.Lost l) {
        out.printf("%-15s  lost %d events: the ring buffer was full%n", time, l.count());
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void summary(CallCounts counts, double seconds) {
      out.println();
      summaryText(out, counts, seconds);
    }
  }

  /** NDJSON. */
  final class NdJson implements CallRenderer {
    private final PrintWriter out;
    private final PrintWriter err;
    private final JsonGenerator g;

    NdJson(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
      this.g = Json.generator(out);
    }

    @Override
    public void header() {
      // NDJSON has no header
    }

    @Override
    public void event(Event e) {
      try {
        g.writeStartObject();
        g.writeNumberField("ts", e.wallNs());
        if (e instanceof Event.Call c) {
          g.writeNumberField("pid", c.pid());
          g.writeNumberField("tid", c.tid());
          g.writeNumberField("goid", c.goid());
          g.writeStringField("event", "call");
          g.writeStringField("func", c.function());
          g.writeStringField("caller", c.caller().function());
          g.writeStringField("callerFile", c.caller().file());
          g.writeNumberField("callerLine", c.caller().line());
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

    @Override
    public void summary(CallCounts counts, double seconds) {
      summaryText(err, counts, seconds);
    }
  }
}
