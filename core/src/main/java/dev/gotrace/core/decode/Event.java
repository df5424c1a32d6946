package dev.gotrace.core.decode;

/** What the tracer reports. More kinds (returns, goroutine launches) come with later commands. */
public sealed interface Event permits Event.Call, Event.Lost {

  /** Wall-clock time in nanoseconds since the epoch. */
  long wallNs();

  /**
   * A function was entered.
   *
   * @param wallNs when, in ns since the epoch
   * @param pid the process (tgid)
   * @param tid the thread
   * @param goid the goroutine id (0 when g could not be read)
   * @param function the function entered
   * @param caller who called it
   */
  record Call(long wallNs, int pid, int tid, long goid, String function, Caller caller) implements Event {}

  /**
   * Records the kernel could not deliver because the ring buffer was full.
   *
   * @param wallNs when the loss was noticed
   * @param count how many records were lost since the last report
   */
  record Lost(long wallNs, long count) implements Event {}

  /**
   * The caller of a call, from its return address.
   *
   * @param function the function containing the call ("?" when unknown)
   * @param file the source file of the call ("" when unknown)
   * @param line the line of the call (0 when unknown)
   * @param returnAddress the return address, as the process saw it
   */
  record Caller(String function, String file, int line, long returnAddress) {
    public static Caller unknown(long returnAddress) {
      return new Caller("?", "", 0, returnAddress);
    }
  }
}
