package dev.gotrace.core.goroutines;

/** What {@code gotrace goroutines} reports. */
public sealed interface GoroutineEvent permits Launch, GoroutineEvent.Lost {

  /** Wall-clock time in nanoseconds since the epoch. */
  long wallNs();

  /**
   * Records the kernel could not deliver because the ring buffer was full, or entries whose exit
   * never came (a lost record leaves its half unmatched).
   *
   * @param wallNs when the loss was noticed
   * @param count how many records were lost since the last report
   */
  record Lost(long wallNs, long count) implements GoroutineEvent {}
}
