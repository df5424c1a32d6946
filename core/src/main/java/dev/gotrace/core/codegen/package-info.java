/**
 * The eBPF programs for a {@link dev.gotrace.core.plan.ProbePlan}, written with the
 * {@code probes.asm} assembler. {@link dev.gotrace.core.codegen.CallRecord} is the layout of the
 * record each entry probe writes to the ring buffer, shared with the decoder. Register and helper
 * conventions follow {@code shared/reference/kernel.md} sections 3–6 (pt_regs offsets, which are
 * {@link dev.gotrace.goelf.arch.Arch}'s; R1–R5 clobbered by calls, every reservation submitted or counted as a drop).
 *
 * <p>The latency programs match entries to exits in the kernel by the key (g, g.stack.hi - SP),
 * which survives stack copying and separates recursive frames, and aggregate log2 histograms in
 * the kernel, in {@code BPF_F_MMAPABLE} arrays shared by all CPUs (atomic adds; max and min by
 * {@code BPF_CMPXCHG}, Linux 5.12) that user space reads through {@code mmap}; offsets follow runtime/runtime2.go ({@code g.stack}). The launch program reads
 * With {@code --where}/{@code --by} they embed {@code core/query}'s code per query group ({@code
 * LatencyQueryAsm}) and count each (function, key) in a hash map ({@link
 * dev.gotrace.core.codegen.KeyedAsm}). The launch program reads
 * {@code runtime.newproc1}'s inputs at its entry and its result at each exit ({@link
 * dev.gotrace.core.codegen.LaunchRecord}).
 *
 * <p>{@link dev.gotrace.core.codegen.StackAsm} is the frame-pointer walk that {@code --stack}
 * embeds in the funcs, args and latency entry programs (its register and stack-slot contract is
 * in its comment), deduplicating stacks into a hash map under a 64-bit id the records carry.
 *
 * <p>With {@code --where}, every program decides before it reserves a record: funcs and args embed
 * {@code core/query}'s blocks (R6 = pt_regs, a stack window below the programs' own slots), args
 * keeps an LRU hash of the passed frames so that a rejected call's return writes nothing, and the
 * launch program compares the started function's entry with sorted PC ranges; without it the
 * programs are instruction for instruction what they were (golden listings).
 */
package dev.gotrace.core.codegen;
