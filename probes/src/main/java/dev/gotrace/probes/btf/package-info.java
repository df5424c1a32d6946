/**
 * Reading the kernel's own type information ({@code /sys/kernel/btf/vmlinux}) far enough to find
 * member offsets at run time, chiefly {@code task_struct.thread.fsbase}, which locates the TLS
 * base (and so Go's {@code g}) for binaries that do not keep {@code g} in a register. The offset
 * depends on the kernel's configuration, so it is never a constant.
 *
 * <p>Source of truth: {@code include/uapi/linux/btf.h} and {@code Documentation/bpf/btf.rst}
 * (header, kinds, member offsets with the kind_flag bitfield encoding), as checked against the
 * running 6.18 kernel in {@code shared/reference/kernel.md} section 8.
 */
package dev.gotrace.probes.btf;
