/**
 * {@code gotrace latency}: a uprobe after each function's stack-check prologue and one on every
 * exit instruction (never a uretprobe), entries matched to exits in the kernel by the key
 * (g, g.stack.hi - SP), which survives stack copying and separates recursive frames, and log2
 * histograms aggregated in the kernel. Offsets follow runtime/runtime2.go ({@code g.stack}).
 */
package dev.gotrace.core.latency;
