/**
 * Classifies A64 instructions (fixed 4 bytes, little-endian) by control flow: returns, direct
 * and indirect branches and calls, conditional branches with their targets, BRK and UDF.
 *
 * <p>Source of truth: Arm Architecture Reference Manual for A-profile (DDI 0487), section C4.1
 * "A64 instruction set encoding" (top-level op0 groups) and C4.1.65 "Branches, Exception
 * Generating and System instructions" (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET, BRK, HLT),
 * plus C6.2 UDF and LDR (literal). Words in the unallocated top-level groups are reported as
 * invalid; other encodings fall through ({@link dev.gotrace.goelf.code.Flow#NEXT}), which is
 * exact for boundaries because every A64 instruction is 4 bytes.
 */
package dev.gotrace.goelf.arm64;
