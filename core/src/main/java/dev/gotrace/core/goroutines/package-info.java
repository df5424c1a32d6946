/**
 * {@code gotrace goroutines}: goroutine launches observed at {@code runtime.newproc1}, which every
 * {@code go} statement reaches through {@code runtime.newproc} on the system stack. The parameter
 * locations follow {@code runtime/proc.go} of each release (Go 1.15–1.17: {@code fn, argp, narg,
 * callergp, callerpc}; 1.18–1.22: {@code fn, callergp, callerpc}; 1.23+: {@code fn, callergp,
 * callerpc, parked, waitreason}; always returning the new {@code *g}) and Go's internal ABI;
 * DWARF, when the binary has it, gives the inputs for any Go version (the result placed by the ABI
 * where the ABI agrees with DWARF's inputs); without DWARF the table row of the binary's version is
 * used only after {@link dev.gotrace.core.goroutines.NewprocCode} found it in the code of
 * {@code runtime.newproc.func1}, and an unknown version is refused.
 */
package dev.gotrace.core.goroutines;
