package dev.gotrace.probes.sys;

/**
 * The errno values the kernel layer meets, by symbolic name (asm-generic/errno-base.h,
 * asm-generic/errno.h, and the kernel-internal ENOTSUPP 524 that LRU maps return).
 */
public enum Errno {
  EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11),
  ENOMEM(12), EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), ENOTDIR(20),
  EINVAL(22), ENFILE(23), EMFILE(24), ENOTTY(25), EFBIG(27), ENOSPC(28), ERANGE(34),
  ENOSYS(38), ELOOP(40), EOPNOTSUPP(95), ENOTSUPP(524);

  private final int code;

  Errno(int code) {
    this.code = code;
  }

  /** The numeric value. */
  public int code() {
    return code;
  }

  /** The symbolic name of {@code code}, or {@code "errno N"} for one this enum does not list. */
  public static String nameOf(int code) {
    for (Errno e : values()) {
      if (e.code == code) {
        return e.name();
      }
    }
    return "errno " + code;
  }

  /** Whether {@code code} is this errno. */
  public boolean is(int code) {
    return this.code == code;
  }
}
