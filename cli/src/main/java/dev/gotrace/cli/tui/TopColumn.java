package dev.gotrace.cli.tui;

import java.util.Comparator;

/** The columns of the top table, in display order; each sorts its own way. */
public enum TopColumn {
  FUNCTION("FUNCTION", Comparator.comparing(TopTable.Row::function)),
  RATE("CALLS/S", Comparator.comparingDouble(TopTable.Row::callsPerSecond)),
  CALLS("CALLS", Comparator.comparingLong(TopTable.Row::calls)),
  MEAN("MEAN", Comparator.comparingDouble(TopTable.Row::meanNs)),
  P50("P50", Comparator.comparingDouble(TopTable.Row::p50Ns)),
  P99("P99", Comparator.comparingDouble(TopTable.Row::p99Ns)),
  MAX("MAX", Comparator.comparingLong(TopTable.Row::maxNs)),
  INFLIGHT("INFLIGHT", Comparator.comparingLong(TopTable.Row::inFlight));

  private final String title;
  private final Comparator<TopTable.Row> order;

  TopColumn(String title, Comparator<TopTable.Row> order) {
    this.title = title;
    this.order = order;
  }

  public String title() {
    return title;
  }

  /** Rows in this column's natural order: names A to Z, numbers largest first. */
  Comparator<TopTable.Row> order() {
    return this == FUNCTION ? order : order.reversed();
  }
}
