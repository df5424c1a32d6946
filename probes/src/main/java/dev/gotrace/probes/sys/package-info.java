/**
 * The system calls gotrace makes to the kernel, through JNA: {@code bpf(2)} (x86-64 number 321),
 * {@code perf_event_open(2)} (298), {@code ioctl}, {@code mmap}/{@code munmap}, {@code epoll} and
 * {@code close}. A failed call becomes a {@link dev.gotrace.probes.sys.SyscallException} naming
 * the system call, its command and the symbolic errno; every descriptor is an owned
 * {@link dev.gotrace.probes.sys.Fd}.
 *
 * <p>Source of truth: the Linux UAPI headers {@code linux/bpf.h}, {@code linux/perf_event.h},
 * {@code asm-generic/errno*.h} and {@code asm/unistd_64.h}, as summarised and checked on Linux 6.18
 * in {@code shared/reference/kernel.md} sections 1, 2, 5 and 9. Arguments are passed to
 * {@code syscall()} as 64-bit values, because the ABI leaves the upper half of a 32-bit vararg
 * unspecified.
 */
package dev.gotrace.probes.sys;
