/**
 * The eBPF programs for a {@link dev.gotrace.core.plan.ProbePlan}, written with the
 * {@code probes.asm} assembler. {@link dev.gotrace.core.codegen.CallRecord} is the layout of the
 * record each entry probe writes to the ring buffer, shared with the decoder. Register and helper
 * conventions follow {@code shared/reference/kernel.md} sections 3–6 (pt_regs offsets, which are
 * {@link dev.gotrace.goelf.arch.Arch}'s; R1–R5 clobbered by calls, every reservation submitted or counted as a drop).
 */
package dev.gotrace.core.codegen;
