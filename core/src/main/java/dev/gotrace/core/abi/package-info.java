/**
 * Where each parameter and result of a Go function is when a probe fires: the Go internal ABI
 * ({@code src/cmd/compile/abi-internal.md}, register assignment of Go 1.17+ on amd64 to the
 * integer and floating-point argument registers of {@link dev.gotrace.goelf.arch.Arch}, with a
 * whole parameter falling back to the stack when it does not fit) and the older stack ABI (ABI0: every
 * argument from {@code 8(SP)} at entry, results after them at the next pointer-aligned offset),
 * applied to the DWARF types of a {@link dev.gotrace.goelf.dwarf.Subprogram}. A parameter is laid
 * out as the bytes of its Go value in memory; {@link dev.gotrace.core.abi.Piece}s say where each
 * range of those bytes comes from.
 */
package dev.gotrace.core.abi;
