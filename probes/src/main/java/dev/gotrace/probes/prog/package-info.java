/**
 * Loading eBPF programs: {@code BPF_PROG_LOAD} of {@code BPF_PROG_TYPE_KPROBE} programs (the type
 * uprobes use) with the licence {@code "GPL"}, resolving map references to descriptors, and on
 * rejection a {@link dev.gotrace.probes.prog.VerifierException} that carries the verifier's log
 * (the buffer grows to {@code log_true_size} when the first one is too small).
 *
 * <p>Source of truth: {@code linux/bpf.h} ({@code union bpf_attr} for {@code BPF_PROG_LOAD},
 * {@code enum bpf_attach_type}) and {@code include/linux/bpf_verifier.h} (log levels), as checked
 * on Linux 6.18 in {@code shared/reference/kernel.md} sections 1.3 and 6.
 */
package dev.gotrace.probes.prog;
