package dev.gotrace.core.agg;

import dev.gotrace.core.decode.Event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Launches per function and per creation site, and losses, for the summary. Not thread-safe. */
public final class LaunchCounts {
  /** One row: a key (function, or site "function at file:line") and its launches. */
  public record Row(String key, long launches) {}

  private final Map<String, Long> byFunction = new HashMap<>();
  private final Map<String, Long> bySite = new HashMap<>();
  private long total;
  private long exits;
  private long lost;

  public void add(Event e) {
    if (e instanceof Event.Launch l) {
      total++;
      byFunction.merge(l.runs(), 1L, Long::sum);
      String site = l.site().function() + (l.site().line() > 0
          ? " at " + shortFile(l.site().file()) + ":" + l.site().line() : "");
      bySite.merge(site, 1L, Long::sum);
    } else if (e instanceof Event.Exit) {
      exits++;
    } else if (e instanceof Event.Lost x) {
      lost += x.count();
    }
  }

  public long total() {
    return total;
  }

  /** Goroutine ends seen (with --exits). */
  public long exits() {
    return exits;
  }

  public long lost() {
    return lost;
  }

  /** Launches per function, most first, then by name. */
  public List<Row> byFunction() {
    return rows(byFunction);
  }

  /** Launches per creation site, most first, then by name. */
  public List<Row> bySite() {
    return rows(bySite);
  }

  private static List<Row> rows(Map<String, Long> m) {
    List<Row> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new Row(k, v)));
    out.sort(Comparator.comparingLong(Row::launches).reversed().thenComparing(Row::key));
    return out;
  }

  /** The last path element of a source file. */
  public static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }
}
