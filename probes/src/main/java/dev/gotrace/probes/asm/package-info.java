/**
 * An eBPF assembler: immutable instruction values ({@link dev.gotrace.probes.asm.Insn}), string
 * labels resolved when a {@link dev.gotrace.probes.asm.Program} is encoded (a missing or duplicate
 * label is an {@link dev.gotrace.probes.asm.AsmException}), {@code LD_IMM64} map references that
 * become {@code BPF_PSEUDO_MAP_FD} loads at encode time, the helper functions by id, and a
 * {@link dev.gotrace.probes.asm.Disassembler} for golden listings and {@code --debug} output.
 *
 * <p>Source of truth: the eBPF instruction set, RFC 9669 (kernel
 * {@code Documentation/bpf/standardization/instruction-set.rst}), {@code linux/bpf.h} and
 * {@code linux/bpf_common.h} for opcodes and helper ids, as checked on Linux 6.18 in
 * {@code shared/reference/kernel.md} section 3.
 */
package dev.gotrace.probes.asm;
