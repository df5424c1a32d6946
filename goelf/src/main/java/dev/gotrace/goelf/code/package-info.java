/**
 * Architecture-neutral values for decoded machine code: an {@link dev.gotrace.goelf.code.Instruction}
 * (address, length, {@link dev.gotrace.goelf.code.Flow}, direct target) and the failure
 * {@link dev.gotrace.goelf.code.InvalidInstructionException} that a decoder raises instead of
 * guessing. The architecture decoders ({@code x86}, {@code arm64}) produce these; the
 * {@code sites} analysis consumes them. The control-flow categories follow the branch
 * instruction classes of the Intel SDM Vol. 2 and the Arm ARM (A64 "Branches, exception
 * generating and system instructions").
 */
package dev.gotrace.goelf.code;
