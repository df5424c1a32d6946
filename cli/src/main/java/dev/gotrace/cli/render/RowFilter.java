package dev.gotrace.cli.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which rows of a per-function table are shown ({@code --all}, {@code --top N}): by default only
 * the functions with calls; {@code all} keeps those without too; {@code top > 0} then keeps the
 * first {@code top} rows in the table's order. What was left out is counted, for one line under
 * the table ({@link Shown#note}).
 *
 * @param all show the functions without calls too
 * @param top at most this many rows, 0 = no limit
 */
public record RowFilter(boolean all, int top) {
  /** Every row: a table that hides nothing (tests, callers that filter themselves). */
  public static final RowFilter EVERY = new RowFilter(true, 0);
  /** The default of the commands: the functions with calls, all of them. */
  public static final RowFilter WITH_CALLS = new RowFilter(false, 0);

  public RowFilter {
    if (top < 0) {
      throw new IllegalArgumentException("top must be >= 0: " + top);
    }
  }

  /** The rows shown and what was left out. */
  public record Shown<T>(List<T> rows, int withoutCalls, int beyondTop, int top) {
    public Shown {
      rows = List.copyOf(rows);
    }

    /**
     * One line saying what the table leaves out, e.g. "… 2,588 functions with no calls not shown
     * (--all shows them)"; empty when it shows every row.
     */
    public Optional<String> note() {
      List<String> parts = new ArrayList<>();
      if (withoutCalls > 0) {
        parts.add(String.format(Locale.ROOT, "%,d function%s with no calls", withoutCalls, withoutCalls == 1 ? "" : "s"));
      }
      if (beyondTop > 0) {
        parts.add(String.format(Locale.ROOT, "%,d more beyond --top %d", beyondTop, top));
      }
      if (parts.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of("… " + String.join(" and ", parts) + " not shown"
          + (withoutCalls > 0 ? " (--all shows them)" : ""));
    }
  }

  /**
   * The rows of {@code rows} this filter shows: those {@code active} unless {@link #all}, sorted
   * by {@code order} (null: as given); with {@link #top}, the first {@code top} of them.
   */
  public <T> Shown<T> apply(List<T> rows, Predicate<? super T> active, Comparator<? super T> order) {
    List<T> kept = new ArrayList<>(rows.size());
    int without = 0;
    for (T r : rows) {
      if (all || active.test(r)) {
        kept.add(r);
      } else {
        without++;
      }
    }
    int beyond = 0;
    if (order != null) {
      kept.sort(order); // only the rows kept: sorting thousands without calls costs a refresh
    }
    if (top > 0 && kept.size() > top) {
      beyond = kept.size() - top;
      kept = kept.subList(0, top);
    }
    return new Shown<>(kept, without, beyond, top);
  }
}
