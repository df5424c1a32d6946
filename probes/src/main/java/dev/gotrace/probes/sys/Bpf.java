package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import java.lang.ref.Reference;

/** The {@code bpf(2)} system call (x86-64 number 321) with a 168-byte {@code union bpf_attr}. */
public final class Bpf {
  /** sizeof(union bpf_attr) on Linux 6.18; bytes past what the kernel knows must be zero. */
  public static final int ATTR_SIZE = 168;

  private static final long NR_BPF = 321;

  private Bpf() {}

  /** A zeroed attribute block of {@link #ATTR_SIZE} bytes. */
  public static Attr attr() {
    return new Attr(ATTR_SIZE);
  }

  /**
   * Runs {@code bpf(cmd, attr, size)}; returns its non-negative result or throws a
   * SyscallException naming {@code cmd}; {@code detail} is added to the message.
   */
  public static int call(BpfCmd cmd, Attr attr, String detail) {
    try {
      long r = Libc.C.syscall(NR_BPF, (long) cmd.value(), attr.memory(), (long) attr.size());
      return (int) r;
    } catch (LastErrorException e) {
      throw new SyscallException("bpf", cmd.name(), e.getErrorCode(), detail);
    } finally {
      Reference.reachabilityFence(attr);
      Reference.reachabilityFence(attr.referenced());
    }
  }

  /** Like {@link #call} for a command that returns a new descriptor, owned by the caller. */
  public static Fd callFd(BpfCmd cmd, Attr attr, String what) {
    return new Fd(call(cmd, attr, what), what);
  }
}
