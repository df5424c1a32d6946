/**
 * An eBPF interpreter for tests without root: it runs a {@link dev.gotrace.probes.asm.Program}
 * (through its kernel encoding, so the assembler's bytes are what runs) against a context given
 * by the test (the {@code pt_regs} bytes of a uprobe), a 512-byte stack, maps kept in Java
 * objects, a sparse user memory that {@code bpf_probe_read_user} reads and a separate kernel
 * memory for {@code bpf_probe_read_kernel}. The values a helper would take from the running
 * kernel (attach cookie, time, pid/tgid, current task) come from a {@link dev.gotrace.probes.vm.Call}.
 *
 * <p>What the verifier would refuse is an error, never a silent value: a load or store outside the
 * context, the stack, a map value or a reserved ring-buffer record (a null map value included), a
 * store to the read-only context, a read of an uninitialised register, a ring-buffer record left
 * unreleased at exit, an instruction no path reaches. It is stricter than the verifier in one
 * place: a read of a stack byte never written, which root programs may do, is refused (it would
 * read whatever the stack held). {@code VmVerifierAgreementTest} holds each refusal against the
 * kernel's. Each {@link dev.gotrace.probes.vm.VmException} names the instruction index and its
 * disassembly. A step limit guards loops. What it does not model: the
 * verifier's static proofs (a path that would be refused but is not taken here runs fine), per-CPU
 * values (one CPU), and concurrency (atomics are plain read-modify-writes).
 *
 * <p>Source of truth: the instruction set of RFC 9669 (including the signed division, sign-extending
 * moves and loads, and byte swaps of its version 4), the helpers' contracts in
 * {@code include/uapi/linux/bpf.h} (return values and the zero fill of a failed
 * {@code bpf_probe_read_*}), and the map semantics of {@code kernel/bpf/arraymap.c},
 * {@code hashtab.c} and {@code ringbuf.c} (BPF_NOEXIST/BPF_EXIST, E2BIG on a full hash).
 */
package dev.gotrace.probes.vm;
