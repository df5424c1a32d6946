package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/** An owned epoll instance watching descriptors for readability (level-triggered). */
public final class Epoll implements AutoCloseable {
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLLIN = 1;
  /** struct epoll_event is 12 bytes, packed, on x86-64: u32 events @0, u64 data @4. */
  private static final int EVENT_SIZE = 12;
  private static final int MAX_EVENTS = 8;

  private final Fd fd;
  private final Memory events = new Memory((long) EVENT_SIZE * MAX_EVENTS);

  private Epoll(Fd fd) {
    this.fd = fd;
  }

  public static Epoll create() {
    try {
      return new Epoll(new Fd(Libc.C.epoll_create1(EPOLL_CLOEXEC), "epoll"));
    } catch (LastErrorException e) {
      throw new SyscallException("epoll_create1", "", e.getErrorCode(), null);
    }
  }

  /** Watches {@code watched} for EPOLLIN. */
  public void add(Fd watched) {
    Memory ev = new Memory(EVENT_SIZE);
    ev.clear();
    ev.setInt(0, EPOLLIN);
    ev.setLong(4, watched.get());
    try {
      Libc.C.epoll_ctl(fd.get(), EPOLL_CTL_ADD, watched.get(), ev);
    } catch (LastErrorException e) {
      throw new SyscallException("epoll_ctl", "EPOLL_CTL_ADD", e.getErrorCode(), watched.what());
    }
  }

  /** Waits up to {@code timeoutMs} (−1 = forever); returns the number of ready descriptors. */
  public int await(int timeoutMs) {
    try {
      return Libc.C.epoll_wait(fd.get(), events, MAX_EVENTS, timeoutMs);
    } catch (LastErrorException e) {
      if (Errno.EINTR.is(e.getErrorCode())) {
        return 0;
      }
      throw new SyscallException("epoll_wait", "", e.getErrorCode(), null);
    }
  }

  @Override
  public void close() {
    fd.close();
  }
}
