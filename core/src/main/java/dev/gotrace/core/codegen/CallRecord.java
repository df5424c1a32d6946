package dev.gotrace.core.codegen;

/**
 * The ring-buffer record of one function entry: seven little-endian u64 words.
 *
 * <pre>
 *   @0  ktime      bpf_ktime_get_ns (CLOCK_MONOTONIC)
 *   @8  pid_tgid   tgid &lt;&lt; 32 | thread id
 *   @16 cookie     the site's index in the plan
 *   @24 return     the return address at [SP] (0 when unreadable)
 *   @32 g          the current goroutine's g pointer (0 when unreadable)
 *   @40 goid       g.goid (0 when unreadable)
 *   @48 ip         the probed runtime address (gives the load bias of PIE binaries)
 *   @56 stack      with --stack only: the stack id in map {@code stacks} ({@link StackAsm}; 0: not recorded)
 * </pre>
 */
public final class CallRecord {
  public static final int KTIME = 0;
  public static final int PID_TGID = 8;
  public static final int COOKIE = 16;
  public static final int RETURN = 24;
  public static final int G = 32;
  public static final int GOID = 40;
  public static final int IP = 48;
  public static final int SIZE = 56;
  public static final int STACK = 56;
  /** The record's size with {@code --stack}. */
  public static final int SIZE_WITH_STACK = 64;

  private CallRecord() {}
}
