package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import java.lang.ref.Reference;

/** {@code perf_event_open(2)} (x86-64 number 298) and the perf-event ioctls. */
public final class Perf {
  /** sizeof(struct perf_event_attr) on Linux 6.18 (PERF_ATTR_SIZE_VER8). */
  public static final int ATTR_SIZE = 136;
  /** {@code PERF_FLAG_FD_CLOEXEC}. */
  public static final long FLAG_FD_CLOEXEC = 8;
  /** {@code _IOW('$', 8, __u32)}. */
  public static final long IOC_SET_BPF = 0x40042408L;
  /** {@code _IO('$', 0)}. */
  public static final long IOC_ENABLE = 0x2400L;
  /** {@code _IO('$', 1)}. */
  public static final long IOC_DISABLE = 0x2401L;

  private static final long NR_PERF_EVENT_OPEN = 298;

  private Perf() {}

  /** A zeroed perf_event_attr with {@code size} filled in. */
  public static Attr attr() {
    return new Attr(ATTR_SIZE).u32(4, ATTR_SIZE);
  }

  /** Opens a perf event; {@code what} names it in errors and in the returned Fd. */
  public static Fd open(Attr attr, int pid, int cpu, String what) {
    try {
      long r = Libc.C.syscall(NR_PERF_EVENT_OPEN, attr.memory(), (long) pid, (long) cpu, -1L,
          FLAG_FD_CLOEXEC);
      return new Fd((int) r, what);
    } catch (LastErrorException e) {
      throw new SyscallException("perf_event_open", what, e.getErrorCode(), null);
    } finally {
      Reference.reachabilityFence(attr);
      Reference.reachabilityFence(attr.referenced());
    }
  }

  /** {@code ioctl(fd, request, arg)}; {@code name} is the request's symbolic name. */
  public static void ioctl(Fd fd, long request, long arg, String name) {
    try {
      Libc.C.ioctl(fd.get(), request, arg);
    } catch (LastErrorException e) {
      throw new SyscallException("ioctl", name, e.getErrorCode(), fd.what());
    }
  }
}
