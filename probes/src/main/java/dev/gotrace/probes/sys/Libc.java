package dev.gotrace.probes.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The libc entry points used by this package; every one reports errno as a LastErrorException. */
interface Libc extends Library {
  Libc C = Native.load("c", Libc.class);

  long syscall(long number, Object... args) throws LastErrorException;

  int ioctl(int fd, long request, Object... args) throws LastErrorException;

  Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset)
      throws LastErrorException;

  int munmap(Pointer addr, long length) throws LastErrorException;

  int epoll_create1(int flags) throws LastErrorException;

  int epoll_ctl(int epfd, int op, int fd, Pointer event) throws LastErrorException;

  int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

  int getpagesize();

  int getpid();

  int gettid();
}
