/**
 * Probe sites of one function, computed from its machine code alone: every exit instruction
 * (returns, tail calls, indirect jumps that are not intra-function jump tables), the first
 * instruction after the stack-check prologue, the TLS offset of {@code g} when the prologue
 * reads it through a segment register, and the exact instruction boundaries used to validate
 * every address before a uprobe is attached.
 *
 * <p>Pure functions over plain inputs ({@link dev.gotrace.goelf.sites.FunctionCode}, an
 * {@link dev.gotrace.goelf.arch.Arch} and a {@link dev.gotrace.goelf.sites.MemoryReader} for
 * jump tables), so that the pclntab function table can be wired in without this package knowing
 * it. Sources of truth: the prologue shapes come from Go's {@code cmd/internal/obj/x86/obj6.go},
 * {@code obj/arm64/obj7.go} and {@code obj/x86} for 386 ({@code stacksplit}: compare SP, or SP
 * minus the frame, against {@code g.stackguard0}; branch to a block that calls
 * {@code runtime.morestack*} and jumps back to the entry), confirmed by GNU objdump on binaries
 * of Go 1.15, 1.19, 1.22 and 1.24; jump tables follow {@code cmd/compile/internal/ssagen}
 * ({@code JUMPTABLE}: bounds check or index mask, table address, indexed load, indirect jump).
 *
 * <p>Decoding is linear from the entry; trailing INT3 (x86) or zero words (arm64) are padding,
 * words loaded by arm64 LDR (literal) are data. A function is {@code UNDECODABLE}, with no
 * sites at all, if any instruction fails to decode or any direct branch inside the function
 * lands in the middle of a decoded instruction (data embedded in code).
 */
package dev.gotrace.goelf.sites;
