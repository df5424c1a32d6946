package dev.gotrace.cli.tui;

import dev.gotrace.cli.render.HistogramRenderer;
import dev.gotrace.cli.render.RowFilter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Lays a {@link TopTable} out as lines: the header, the key help (live view only), the column
 * titles and a row per function. A narrow terminal loses the least telling columns first (P50,
 * MEAN, INFLIGHT, MAX, P99) and then shortens function names; a short one loses the last rows.
 */
public final class TopLayout {
  /** Columns dropped, in this order, while the table is wider than the terminal. */
  private static final List<TopColumn> DROP_ORDER =
      List.of(TopColumn.P50, TopColumn.MEAN, TopColumn.INFLIGHT, TopColumn.MAX, TopColumn.P99);
  private static final int MIN_FUNCTION = 12;
  private static final String GAP = "  ";

  private TopLayout() {}

  /** What the live view shows besides the numbers. */
  public record State(TopColumn sort, boolean reversed, boolean paused) {
    public static final State DEFAULT = new State(TopColumn.CALLS, false, false);
  }

  /** The live view's lines for a {@code width} x {@code height} terminal, every function listed. */
  public static List<AttributedString> screen(TopTable table, State state, int width, int height) {
    return screen(table, state, width, height, RowFilter.EVERY);
  }

  /** A function that did something: completed calls, or calls in progress. */
  static boolean active(TopTable.Row r) {
    return r.calls() > 0 || r.inFlight() > 0;
  }

  /**
   * The live view's lines for a {@code width} x {@code height} terminal, listing the functions
   * {@code filter} shows; the last line says what it left out.
   */
  public static List<AttributedString> screen(TopTable table, State state, int width, int height, RowFilter filter) {
    List<AttributedString> out = new ArrayList<>();
    out.add(fit(new AttributedString("gotrace top  " + table.header().target(), AttributedStyle.BOLD), width));
    out.add(fit(new AttributedString(status(table.header()) + (state.paused() ? "  PAUSED" : "")), width));
    out.add(fit(new AttributedString("sort " + state.sort().title() + (state.reversed() ? " (reversed)" : "")
        + "   keys: < > sort column  r reverse  p pause  q quit"), width));
    out.add(AttributedString.EMPTY);
    Set<TopColumn> shown = columnsFor(table, width);
    int fn = functionWidth(table, shown, width);
    int[] keys = keyWidths(table);
    out.add(titles(table, shown, fn, keys, state.sort()));
    RowFilter.Shown<TopTable.Row> rows = filter.apply(table.rows(), TopLayout::active,
        TopTable.order(state.sort(), state.reversed()));
    int room = height - (rows.note().isPresent() ? 1 : 0);
    for (TopTable.Row r : rows.rows()) {
      if (out.size() >= room) {
        break;
      }
      out.add(new AttributedString(row(r, shown, fn, keys)));
    }
    rows.note().ifPresent(n -> out.add(fit(new AttributedString(n), width)));
    return out.size() > height ? out.subList(0, Math.max(0, height)) : out;
  }

  /** The plain table printed when stdout is not a terminal: every column, names in full, every function. */
  public static List<String> plain(TopTable table, TopColumn sort) {
    return plain(table, sort, RowFilter.EVERY);
  }

  /** As {@link #plain(TopTable, TopColumn)}, of the functions {@code filter} shows, then what it left out. */
  public static List<String> plain(TopTable table, TopColumn sort, RowFilter filter) {
    List<String> out = new ArrayList<>();
    out.add("gotrace top  " + table.header().target());
    out.add(status(table.header()));
    Set<TopColumn> all = EnumSet.allOf(TopColumn.class);
    int fn = Math.max(MIN_FUNCTION, longestName(table));
    int[] keys = keyWidths(table);
    out.add(titles(table, all, fn, keys, null).toString().stripTrailing());
    RowFilter.Shown<TopTable.Row> rows = filter.apply(table.rows(), TopLayout::active, TopTable.order(sort, false));
    for (TopTable.Row r : rows.rows()) {
      out.add(row(r, all, fn, keys).stripTrailing());
    }
    rows.note().ifPresent(out::add);
    return out;
  }

  private static String status(TopTable.Header h) {
    return String.format(Locale.ROOT, "%s  %d probes  events %d  drops %d  %.1f s", h.goVersion(), h.probes(),
        h.calls(), h.unmatched(), h.seconds());
  }

  /** The width of each key column ({@code --by}): its title or its longest cell. */
  private static int[] keyWidths(TopTable table) {
    int[] w = new int[table.keyTitles().size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = table.keyTitles().get(i).length();
      for (TopTable.Row r : table.rows()) {
        if (i < r.key().size()) {
          w[i] = Math.max(w[i], r.key().get(i).length());
        }
      }
    }
    return w;
  }

  private static int keysWidth(TopTable table) {
    int w = 0;
    for (int k : keyWidths(table)) {
      w += GAP.length() + k;
    }
    return w;
  }

  private static Set<TopColumn> columnsFor(TopTable table, int width) {
    Set<TopColumn> shown = EnumSet.allOf(TopColumn.class);
    int name = Math.min(longestName(table), MIN_FUNCTION) + keysWidth(table);
    for (TopColumn drop : DROP_ORDER) {
      if (name + numbersWidth(shown) <= width) {
        break;
      }
      shown.remove(drop);
    }
    return shown;
  }

  private static int functionWidth(TopTable table, Set<TopColumn> shown, int width) {
    return Math.max(Math.min(longestName(table), width - numbersWidth(shown) - keysWidth(table)),
        Math.min(MIN_FUNCTION, width));
  }

  private static int longestName(TopTable table) {
    return Math.max(TopColumn.FUNCTION.title().length(),
        table.rows().stream().mapToInt(r -> r.function().length()).max().orElse(0));
  }

  private static int numbersWidth(Set<TopColumn> shown) {
    int w = 0;
    for (TopColumn c : shown) {
      if (c != TopColumn.FUNCTION) {
        w += GAP.length() + width(c);
      }
    }
    return w;
  }

  private static int width(TopColumn c) {
    return switch (c) {
      case FUNCTION -> 0;
      case RATE, CALLS -> 9;
      default -> 8;
    };
  }

  private static AttributedString titles(TopTable table, Set<TopColumn> shown, int fn, int[] keys, TopColumn sort) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    for (TopColumn c : shown) {
      AttributedStyle style = c == sort ? AttributedStyle.INVERSE.bold() : AttributedStyle.INVERSE;
      if (c == TopColumn.FUNCTION) {
        b.append(pad(c.title(), fn, false), style);
        for (int i = 0; i < keys.length; i++) {
          b.append(GAP, AttributedStyle.INVERSE);
          b.append(pad(table.keyTitles().get(i), keys[i], false), AttributedStyle.INVERSE);
        }
      } else {
        b.append(GAP, AttributedStyle.INVERSE);
        b.append(pad(c.title(), width(c), true), style);
      }
    }
    return b.toAttributedString();
  }

  private static String row(TopTable.Row r, Set<TopColumn> shown, int fn, int[] keys) {
    StringBuilder b = new StringBuilder();
    for (TopColumn c : shown) {
      if (c == TopColumn.FUNCTION) {
        b.append(pad(shorten(r.function(), fn), fn, false));
        for (int i = 0; i < keys.length; i++) {
          b.append(GAP).append(pad(i < r.key().size() ? r.key().get(i) : "", keys[i], false));
        }
      } else {
        b.append(GAP).append(pad(cell(r, c), width(c), true));
      }
    }
    return b.toString();
  }

  private static String cell(TopTable.Row r, TopColumn c) {
    boolean none = r.calls() == 0;
    return switch (c) {
      case FUNCTION -> r.function();
      case RATE -> r.callsPerSecond() >= 100 ? String.format(Locale.ROOT, "%.0f", r.callsPerSecond())
          : String.format(Locale.ROOT, "%.1f", r.callsPerSecond());
      case CALLS -> Long.toString(r.calls());
      case MEAN -> none ? "-" : HistogramRenderer.duration(r.meanNs());
      case P50 -> none ? "-" : "~" + HistogramRenderer.duration(r.p50Ns());
      case P99 -> none ? "-" : "~" + HistogramRenderer.duration(r.p99Ns());
      case MAX -> none ? "-" : HistogramRenderer.duration(r.maxNs());
      case INFLIGHT -> r.inFlight() < 0 ? "-" : Long.toString(r.inFlight());
    };
  }

  /** A name cut to {@code width}, keeping its start and end: {@code net/http.(*c~).serve}. */
  static String shorten(String s, int width) {
    if (s.length() <= width) {
      return s;
    }
    if (width < 4) {
      return s.substring(0, Math.max(0, width));
    }
    int tail = (width - 1) / 2;
    return s.substring(0, width - 1 - tail) + "~" + s.substring(s.length() - tail);
  }

  private static String pad(String s, int width, boolean right) {
    if (s.length() >= width) {
      return s;
    }
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }

  private static AttributedString fit(AttributedString s, int width) {
    return s.columnLength() <= width ? s : s.columnSubSequence(0, width);
  }
}
