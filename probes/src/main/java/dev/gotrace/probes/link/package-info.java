/**
 * Attaching a loaded program to uprobes: one {@code BPF_LINK_CREATE} of type uprobe_multi for any
 * number of file offsets, each with a 64-bit cookie and an optional pid filter (Linux >= 6.6), or
 * one perf-event uprobe per site (uprobe PMU; a {@code BPF_PERF_EVENT} link carries the cookie,
 * Linux >= 5.15). Links are owned; closing one detaches every site, and a process that dies
 * detaches too because the kernel closes its descriptors. tracefs is never used.
 *
 * <p>Source of truth: {@code linux/bpf.h} ({@code link_create.uprobe_multi},
 * {@code link_create.perf_event}), {@code linux/perf_event.h} ({@code perf_event_attr}, ioctls),
 * {@code kernel/trace/bpf_trace.c} {@code bpf_uprobe_multi_link_attach}, as checked on Linux 6.18
 * in {@code shared/reference/kernel.md} sections 1.4 and 2.
 */
package dev.gotrace.probes.link;
