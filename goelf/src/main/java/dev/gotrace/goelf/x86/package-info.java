/**
 * An x86 instruction length decoder and control-flow classifier for 64-bit mode and 32-bit
 * protected mode, covering what Go binaries contain (compiled Go, the runtime and the crypto
 * assembly with SSE, AVX2, AVX-512 and SHA extensions).
 *
 * <p>Source of truth: Intel 64 and IA-32 Architectures Software Developer's Manual, Vol. 2,
 * chapter 2 (instruction format, ModRM/SIB tables 2-1..2-3, REX, VEX and EVEX encodings) and
 * appendix A (opcode maps A-2 one-byte, A-3 two-byte 0F, A-4 0F38, A-5 0F3A, A-6 opcode
 * extensions by ModRM.reg, A-7..A-22 x87) and the instruction pages for mandatory prefixes and
 * VEX opcodes. Forms that are undefined, that Intel and AMD decode with different lengths
 * (operand-size-prefixed relative branches in 64-bit mode), or that disassemblers split
 * differently (a REX prefix followed by another prefix, WAIT before x87) are reported as
 * {@link dev.gotrace.goelf.code.InvalidInstructionException}, never guessed.
 *
 * <p>Known leniency: VEX.vvvv/L/W restrictions, mandatory prefixes of the 0F38/0F3A maps and
 * EVEX opcode validity are not checked; those fields never change an instruction's length
 * (every VEX/EVEX instruction has ModRM, and an imm8 exactly in map 0F3A and for map-0F opcodes
 * 70-73, C2, C4-C6). GNU objdump is the test oracle: identical boundaries on every function of
 * the test matrix, and on a random byte stream identical lengths wherever both decode.
 */
package dev.gotrace.goelf.x86;
