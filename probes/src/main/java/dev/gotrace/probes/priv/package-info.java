/**
 * Privilege and kernel-feature checks that explain themselves in one line, naming the missing
 * capability or the kernel version a feature needs: "uprobe_multi links not supported (requires
 * Linux >= 6.6, running 6.1.0)". A {@link dev.gotrace.probes.priv.Feature} is a value with its
 * minimum kernel; a {@link dev.gotrace.probes.priv.FeatureStatus} says whether this kernel has it;
 * a kernel without a feature tracing needs is an {@link dev.gotrace.probes.priv.UnsupportedFeature}.
 *
 * <p>Source of truth: {@code linux/capability.h} (CAP_SYS_ADMIN 21, CAP_PERFMON 38, CAP_BPF 39),
 * {@code proc(5)} ({@code CapEff} in {@code /proc/self/status}), and the feature probes and
 * version floors listed in {@code shared/reference/kernel.md} sections 1.4 and 7 (uprobe_multi:
 * a no-op program loaded for BPF_TRACE_UPROBE_MULTI linked to "/" fails with EBADF when the
 * kernel has the link type, with EINVAL when it does not).
 */
package dev.gotrace.probes.priv;
