package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned file descriptor: closed exactly once by {@link #close()}; using it afterwards is an
 * {@link IllegalStateException}. {@link #what()} says what it is for messages.
 */
public final class Fd implements AutoCloseable {
  private final AtomicInteger fd;
  private final String what;

  public Fd(int fd, String what) {
    if (fd < 0) {
      throw new IllegalArgumentException("negative fd " + fd + " for " + what);
    }
    this.fd = new AtomicInteger(fd);
    this.what = what;
  }

  /** The descriptor number. */
  public int get() {
    int v = fd.get();
    if (v < 0) {
      throw new IllegalStateException(what + " is closed");
    }
    return v;
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return fd.get() < 0;
  }

  /** What this descriptor holds, e.g. {@code "bpf map counts"}. */
  public String what() {
    return what;
  }

  @Override
  public void close() {
    int v = fd.getAndSet(-1);
    if (v >= 0) {
      try {
        Libc.C.close(v);
      } catch (LastErrorException e) {
        throw new SyscallException("close", what, e.getErrorCode(), null);
      }
    }
  }

  @Override
  public String toString() {
    return what + " fd " + fd.get();
  }
}
