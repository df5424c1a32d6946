package dev.gotrace.core.goroutines;

/** What {@code gotrace goroutines} reports. */
public sealed interface GoroutineEvent permits Launch, GoroutineEvent.Exit, GoroutineEvent.Lost {

  /** Wall-clock time in nanoseconds since the epoch. */
  long wallNs();

  /**
   * A goroutine ended: it entered {@code runtime.goexit1}, which every goroutine's last return
   * (and {@code runtime.Goexit}) reaches.
   *
   * @param wallNs when, in ns since the epoch
   * @param pid the process
   * @param tid the thread
   * @param goid the goroutine that ended
   * @param function what it ran, when its launch was seen ("" otherwise)
   * @param lifetimeNs from its launch to its end; -1 when it was launched before tracing began
   */
  record Exit(long wallNs, int pid, int tid, long goid, String function, long lifetimeNs)
      implements GoroutineEvent {}

  /**
   * Records the kernel could not deliver because the ring buffer was full, or entries whose exit
   * never came (a lost record leaves its half unmatched).
   *
   * @param wallNs when the loss was noticed
   * @param count how many records were lost since the last report
   */
  record Lost(long wallNs, long count) implements GoroutineEvent {}
}
