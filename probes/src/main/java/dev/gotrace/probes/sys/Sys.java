package dev.gotrace.probes.sys;

/** Small process facts from libc. */
public final class Sys {
  private Sys() {}

  /** The size of a memory page in bytes. */
  public static int pageSize() {
    return Libc.C.getpagesize();
  }

  /** This process's id. */
  public static int pid() {
    return Libc.C.getpid();
  }

  /** The calling thread's id. */
  public static int tid() {
    return Libc.C.gettid();
  }
}
