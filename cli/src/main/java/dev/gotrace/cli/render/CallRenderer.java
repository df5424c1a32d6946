package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.decode.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The live stream of {@code gotrace funcs}: aligned text (time, pid, goid, function, caller and
 * its file:line) or NDJSON with fields {@code ts} (ns since the epoch), {@code pid}, {@code tid},
 * {@code goid}, {@code event}, {@code func}, {@code caller}, {@code callerFile},
 * {@code callerLine}, and with {@code --stack} {@code stack} ({@link StackText}); and the summary at the end.
 */
public interface CallRenderer {
  /** Printed once before the first event. */
  void header();

  /** One event; buffered: it is written by {@link #flush} (after each batch) at the latest. */
  void event(Event e);

  /** Writes the buffered events out (called after each batch of events, so output stays live). */
  void flush();

  /** Printed once at the end; {@code seconds} is how long the trace ran. */
  void summary(CallCounts counts, double seconds);

  /**
   * Aligned text lines on {@code out}; the summary, for people, on {@code err} (stdout carries
   * only the events). {@code functionWidth} is the longest traced name.
   */
  static CallRenderer text(PrintWriter out, PrintWriter err, ZoneId zone, int functionWidth) {
    return new Text(out, err, zone, Math.max(8, Math.min(functionWidth, 60)));
  }

  /** NDJSON events on {@code out}; the summary, for people, on {@code err}. */
  static CallRenderer json(PrintWriter out, PrintWriter err) {
    return new NdJson(out, err);
  }

  /**
   * The summary as text: the functions with calls, most first; those without in one line with
   * their count and first names (thousands of traced functions make no wall of zeros).
   */
  static void summaryText(PrintWriter out, CallCounts counts, double seconds) {
    out.printf("%d calls in %.1f s, %d dropped%n", counts.total(), seconds, counts.lost());
    int w = 5;
    List<String> uncalled = new ArrayList<>();
    for (CallCounts.Row r : counts.rows()) {
      w = Math.max(w, Long.toString(r.calls()).length());
    }
    for (CallCounts.Row r : counts.rows()) {
      if (r.calls() == 0) {
        uncalled.add(r.function());
      } else {
        out.printf("  %" + w + "d  %s%n", r.calls(), r.function());
      }
    }
    if (!uncalled.isEmpty()) {
      int named = Math.min(3, uncalled.size()); // named before "and N more"
      out.printf(Locale.ROOT, "  (%,d %s no calls: %s%s)%n", uncalled.size(),
          uncalled.size() == 1 ? "function with" : "functions with", String.join(", ", uncalled.subList(0, named)),
          uncalled.size() > named ? String.format(Locale.ROOT, " and %,d more", uncalled.size() - named) : "");
    }
    out.flush();
  }

  /** The last path element of a source file, for the text view. */
  static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }

  /** Aligned text, one reused line buffer: no String, boxing or format parsing per event. */
  final class Text implements CallRenderer {
    private final PrintWriter out;
    private final PrintWriter err;
    private final int functionWidth;
    private final TextLine line;

    Text(PrintWriter out, PrintWriter err, ZoneId zone, int functionWidth) {
      this.out = out;
      this.err = err;
      this.functionWidth = functionWidth;
      this.line = new TextLine(zone);
    }

    @Override
    public void header() {
      line.clear().left("TIME", 15).spaces(2).right("PID", 7).spaces(2).right("GOID", 6).spaces(2)
          .left("FUNCTION", functionWidth).spaces(2).append("CALLER").println(out);
      out.flush();
    }

    @Override
    public void event(Event e) {
      int t = line.clear().mark();
      line.time(e.wallNs()).padAfter(t, 15);
      if (e instanceof Event.Call c) {
        Event.Caller k = c.caller();
        line.spaces(2).right(c.pid(), 7).spaces(2).right(c.goid(), 6).spaces(2).left(c.function(), functionWidth)
            .spaces(2).append(c.site().isEmpty() ? k.function() : "at " + c.site() + ", from " + k.function());
        if (k.line() > 0) {
          line.append(" (").fileName(k.file()).append(':').append(k.line()).append(')');
        }
        line.append(ArgsRenderer.shown(c.shown()));
        line.println(out);
        StackText.print(out, c.stack());
      } else if (e instanceof Event.Lost l) {
        line.append("  lost ").append(l.count()).append(" events: the ring buffer was full").println(out);
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void summary(CallCounts counts, double seconds) {
      out.flush();
      err.println();
      summaryText(err, counts, seconds);
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
          g.writeStringField("event", c.site().isEmpty() ? "call" : "line");
          g.writeStringField("func", c.function());
          if (!c.site().isEmpty()) {
            g.writeStringField("site", c.site());
          }
          g.writeStringField("caller", c.caller().function());
          g.writeStringField("callerFile", c.caller().file());
          g.writeNumberField("callerLine", c.caller().line());
          ArgsRenderer.shown(g, c.shown());
          StackText.json(g, c.stack());
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
