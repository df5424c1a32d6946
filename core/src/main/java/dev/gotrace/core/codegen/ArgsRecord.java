package dev.gotrace.core.codegen;

/**
 * The fixed header of an args record (entry or exit), eight little-endian u64 words, followed by
 * the block's {@link dev.gotrace.core.plan.RecordLayout}.
 *
 * <pre>
 *   @0  ktime      bpf_ktime_get_ns (CLOCK_MONOTONIC)
 *   @8  pid_tgid   tgid &lt;&lt; 32 | thread id
 *   @16 cookie     block &lt;&lt; 32 | site index
 *   @24 g          the current g (0 when unreadable)
 *   @32 goid       g.goid (0 when unreadable)
 *   @40 sp         SP when the probe fired (the return address's slot at entry and at RET)
 *   @48 stack_hi   g.stack.hi (0 when unreadable)
 *   @56 ip         the probed runtime address (gives the load bias of PIE binaries)
 * </pre>
 */
public final class ArgsRecord {
  public static final int KTIME = 0;
  public static final int PID_TGID = 8;
  public static final int COOKIE = 16;
  public static final int G = 24;
  public static final int GOID = 32;
  public static final int SP = 40;
  public static final int STACK_HI = 48;
  public static final int IP = 56;
  public static final int HEADER = 64;

  private ArgsRecord() {}
}
