package dev.gotrace.core.codegen;

import dev.gotrace.core.decode.LaunchDecoder;


/**
 * The ring-buffer record of one hit on {@code runtime.newproc1}: eight little-endian u64 words.
 * The entry and the exit of one call write one record each; user space joins them by thread
 * (see {@link LaunchDecoder}).
 *
 * <pre>
 *   @0  ktime      bpf_ktime_get_ns (CLOCK_MONOTONIC)
 *   @8  pid_tgid   tgid &lt;&lt; 32 | thread id
 *   @16 cookie     0 = entry, 1.. = an exit
 *   @24 ip         the probed runtime address (gives the load bias of PIE binaries)
 *   @32 fnpc       entry: fn-&gt;fn, the PC the goroutine starts at        exit: 0
 *   @40 goid       entry: callergp-&gt;goid, the creator                   exit: newg-&gt;goid
 *   @48 callerpc   entry: the return address of the go statement's call  exit: 0
 *   @56 gptr       entry: callergp                                        exit: newg
 * </pre>
 *
 * A word the probe could not read is 0.
 */
public final class LaunchRecord {
  public static final int KTIME = 0;
  public static final int PID_TGID = 8;
  public static final int COOKIE = 16;
  public static final int IP = 24;
  public static final int FNPC = 32;
  public static final int GOID = 40;
  public static final int CALLERPC = 48;
  public static final int GPTR = 56;
  public static final int SIZE = 64;

  private LaunchRecord() {}
}
