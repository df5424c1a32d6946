package dev.gotrace.probes.vm;

/** The negative errno values helpers return ({@code include/uapi/asm-generic/errno-base.h}). */
final class Errno {
  static final long ENOENT = -2, E2BIG = -7, EAGAIN = -11, EFAULT = -14, EEXIST = -17, EINVAL = -22, ENOSPC = -28;

  private Errno() {}
}
