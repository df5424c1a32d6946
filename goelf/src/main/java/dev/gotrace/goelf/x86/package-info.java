/**
 * An x86 instruction length decoder and control-flow classifier for 64-bit mode and 32-bit
 * protected mode, covering what Go binaries contain (compiled Go, the runtime and the crypto
 * assembly with SSE, AVX2, AVX-512 and SHA extensions).
 *
 * <p>Source of truth: Intel 64 and IA-32 Architectures Software Developer's Manual, Vol. 2,
 * chapter 2 (instruction format, ModRM/SIB tables 2-1..2-3, REX, VEX and EVEX encodings) and
 * appendix A (opcode maps A-2 one-byte, A-3 two-byte 0F, A-4 0F38, A-5 0F3A, A-6 opcode
 * extensions by ModRM.reg). Forms that are undefined, or that Intel and AMD decode with
 * different lengths (operand-size-prefixed relative branches in 64-bit mode), are reported as
 * {@link dev.gotrace.goelf.code.InvalidInstructionException}, never guessed. GNU objdump is the
 * test oracle for boundaries.
 */
package dev.gotrace.goelf.x86;
