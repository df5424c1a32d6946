package dev.gotrace.core.profile;

/** What a flame graph's widths measure: calls, or the time spent in them ({@code --flame-weight}). */
public enum Weight {
  CALLS,
  TIME;

  /** The weight of a sample. */
  long of(StackProfile.Sample s) {
    return this == CALLS ? s.calls() : s.totalNs();
  }
}
