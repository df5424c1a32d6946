package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

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

  /** poll(2) revents: error; on the writing end of a pipe, the reading end is closed. */
  private static final short POLLERR = 0x8;
  /** poll(2) revents: hang-up (a socket whose peer closed, a terminal that went away). */
  private static final short POLLHUP = 0x10;

  /**
   * Whether nobody can read what is written to {@code fd} any more: a pipe whose reading end is
   * closed (POLLERR) or a socket or terminal that hung up (POLLHUP), asked with a poll(2) that
   * does not wait. A file, or a pipe that is still read, answers false.
   */
  public static boolean readerGone(int fd) {
    try (Memory pollfd = new Memory(8)) { // struct pollfd { int fd; short events; short revents; }
      pollfd.clear();
      pollfd.setInt(0, fd);
      int n;
      try {
        n = Libc.C.poll(pollfd, 1, 0);
      } catch (LastErrorException e) {
        return false; // EINTR or ENOMEM: ask again at the next poll
      }
      return n > 0 && (pollfd.getShort(6) & (POLLERR | POLLHUP)) != 0;
    }
  }
}
