package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What --all and --top keep of a table's rows, and the line that counts the rest. */
class RowFilterTest {
  private static final List<Integer> CALLS = List.of(0, 5, 0, 9, 1, 0);

  @Test
  void byDefaultOnlyRowsWithCallsAndALineForTheOthers() {
    RowFilter.Shown<Integer> s = RowFilter.WITH_CALLS.apply(CALLS, c -> c > 0, null);
    assertEquals(List.of(5, 9, 1), s.rows(), "as given without an order");
    assertEquals(List.of(9, 5, 1), RowFilter.WITH_CALLS.apply(CALLS, c -> c > 0, Comparator.reverseOrder()).rows());
    assertEquals(Optional.of("… 3 functions with no calls not shown (--all shows them)"), s.note());
  }

  @Test
  void allKeepsEveryRowAndSaysNothing() {
    RowFilter.Shown<Integer> s = new RowFilter(true, 0).apply(CALLS, c -> c > 0, null);
    assertEquals(CALLS, s.rows());
    assertEquals(Optional.empty(), s.note());
  }

  @Test
  void topCutsInTheGivenOrder() {
    RowFilter.Shown<Integer> s = new RowFilter(false, 2).apply(CALLS, c -> c > 0, Comparator.reverseOrder());
    assertEquals(List.of(9, 5), s.rows());
    assertEquals(Optional.of("… 3 functions with no calls and 1 more beyond --top 2 not shown (--all shows them)"),
        s.note());
    RowFilter.Shown<Integer> all = new RowFilter(true, 1).apply(CALLS, c -> c > 0, null);
    assertEquals(List.of(0), all.rows(), "without an order: the first rows as given");
    assertEquals(Optional.of("… 5 more beyond --top 1 not shown"), all.note());
  }

  @Test
  void countsAreGroupedAndSingular() {
    List<Integer> many = java.util.Collections.nCopies(2588, 0);
    assertEquals(Optional.of("… 2,588 functions with no calls not shown (--all shows them)"),
        RowFilter.WITH_CALLS.apply(many, c -> c > 0, null).note());
    assertEquals(Optional.of("… 1 function with no calls not shown (--all shows them)"),
        RowFilter.WITH_CALLS.apply(List.of(0), c -> c > 0, null).note());
    assertThrows(IllegalArgumentException.class, () -> new RowFilter(false, -1));
  }
}
