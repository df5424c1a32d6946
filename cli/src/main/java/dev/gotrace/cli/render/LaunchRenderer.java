package dev.gotrace.cli.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.agg.LaunchCounts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The live stream of {@code gotrace goroutines}: one line per launch (time, pid, creator, the
 * function the goroutine runs, the creation site, the new id) or NDJSON with fields {@code ts},
 * {@code pid}, {@code tid}, {@code event} ("launch"), {@code goid} (the creator), {@code func}
 * (the function newproc1 was given), {@code runs} (what the goroutine runs: a go wrapper's
 * target, else {@code func}), {@code createdBy}, {@code file}, {@code line}, {@code newGoid};
 * goroutine ends ({@code --exits}) with {@code event} "exit", {@code goid}, {@code runs} ("" when
 * the launch was not seen) and {@code lifetimeNs} (-1 when launched before tracing began);
 * and the summary per function and per creation site at the end.
 */
public interface LaunchRenderer {
  void header();

  void event(Event e);

  /** Printed once at the end; {@code seconds} is how long the trace ran. */
  void summary(LaunchCounts counts, double seconds);

  /** Aligned text lines on {@code out}; the summary, for people, on {@code err} (stdout carries only the events). */
  static LaunchRenderer text(PrintWriter out, PrintWriter err, ZoneId zone) {
    return new Text(out, err, zone);
  }

  /** NDJSON events on {@code out}; the summary, for people, on {@code err}. */
  static LaunchRenderer json(PrintWriter out, PrintWriter err) {
    return new NdJson(out, err);
  }

  /** The summary as text. */
  static void summaryText(PrintWriter out, LaunchCounts counts, double seconds) {
    out.printf("%d goroutine launch%s%s in %.1f s, %d lost%n", counts.total(), counts.total() == 1 ? "" : "es",
        counts.exits() > 0 ? ", " + counts.exits() + " end" + (counts.exits() == 1 ? "" : "s") : "",
        seconds, counts.lost());
    table(out, "launches per function", counts.byFunction());
    table(out, "launches per creation site", counts.bySite());
    out.flush();
  }

  private static void table(PrintWriter out, String title, List<LaunchCounts.Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    out.println(title + ":");
    int w = 5;
    for (LaunchCounts.Row r : rows) {
      w = Math.max(w, Long.toString(r.launches()).length());
    }
    for (LaunchCounts.Row r : rows) {
      out.printf("  %" + w + "d  %s%n", r.launches(), r.key());
    }
  }

  /** "main.worker (via main.spawn.gowrap1)" for a wrapper, else the function. */
  static String runs(Event.Launch l) {
    return l.target().isEmpty() ? l.function() : l.target() + " (via " + l.function() + ")";
  }

  /** Aligned text. */
  final class Text implements LaunchRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private final PrintWriter out;
    private final PrintWriter err;
    private final ZoneId zone;

    Text(PrintWriter out, PrintWriter err, ZoneId zone) {
      this.out = out;
      this.err = err;
      this.zone = zone;
    }

    @Override
    public void header() {
      out.printf("%-15s  %7s  %s%n", "TIME", "PID", "LAUNCH");
      out.flush();
    }

    @Override
    public void event(Event e) {
      String time = TIME.format(Instant.ofEpochSecond(0, e.wallNs()).atZone(zone));
      if (e instanceof Event.Launch l) {
        String site = l.site().function() + (l.site().line() > 0
            ? " at " + LaunchCounts.shortFile(l.site().file()) + ":" + l.site().line() : "");
        out.printf("%-15s  %7d  %s → go %s  created by %s  new %s%n", time, l.pid(), gid(l.creatorGoid()),
            runs(l), site, gid(l.newGoid()));
      } else if (e instanceof Event.Exit x) {
        String ran = x.function().isEmpty() ? "launched before tracing began"
            : "ran " + x.function() + " for " + duration(x.lifetimeNs());
        out.printf("%-15s  %7d  %s ends  (%s)%n", time, x.pid(), gid(x.goid()), ran);
      } else if (e instanceof Event.Lost x) {
        out.printf("%-15s  lost %d records: the ring buffer was full or a probe's other half was lost%n", time,
            x.count());
      }
      out.flush();
    }

    private static String duration(long ns) {
      if (ns < 1_000_000) {
        return String.format(java.util.Locale.ROOT, "%.1f µs", ns / 1e3);
      }
      if (ns < 1_000_000_000) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", ns / 1e6);
      }
      return String.format(java.util.Locale.ROOT, "%.2f s", ns / 1e9);
    }

    private static String gid(long goid) {
      return goid == 0 ? "g?" : "g" + goid;
    }

    @Override
    public void summary(LaunchCounts counts, double seconds) {
      out.flush();
      err.println();
      summaryText(err, counts, seconds);
    }
  }

  /** NDJSON. */
  final class NdJson implements LaunchRenderer {
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
        if (e instanceof Event.Launch l) {
          g.writeNumberField("pid", l.pid());
          g.writeNumberField("tid", l.tid());
          g.writeStringField("event", "launch");
          g.writeNumberField("goid", l.creatorGoid());
          g.writeStringField("func", l.function());
          g.writeStringField("runs", l.runs());
          g.writeStringField("createdBy", l.site().function());
          g.writeStringField("file", l.site().file());
          g.writeNumberField("line", l.site().line());
          g.writeNumberField("newGoid", l.newGoid());
        } else if (e instanceof Event.Exit x) {
          g.writeNumberField("pid", x.pid());
          g.writeNumberField("tid", x.tid());
          g.writeStringField("event", "exit");
          g.writeNumberField("goid", x.goid());
          g.writeStringField("runs", x.function());
          g.writeNumberField("lifetimeNs", x.lifetimeNs());
        } else if (e instanceof Event.Lost x) {
          g.writeStringField("event", "lost");
          g.writeNumberField("count", x.count());
        }
        g.writeEndObject();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
      Json.endLine(g, out);
      out.flush();
    }

    @Override
    public void summary(LaunchCounts counts, double seconds) {
      summaryText(err, counts, seconds);
    }
  }
}
