/**
 * {@code gotrace goroutines}: goroutine launches observed at {@code runtime.newproc1}, which every
 * {@code go} statement reaches through {@code runtime.newproc} on the system stack. The parameter
 * locations follow {@code runtime/proc.go} of each release (Go 1.15–1.17: {@code fn, argp, narg,
 * callergp, callerpc}; 1.18–1.22: {@code fn, callergp, callerpc}; 1.23+: {@code fn, callergp,
 * callerpc, parked, waitreason}; always returning the new {@code *g}) and Go's internal ABI;
 * DWARF, when the binary has it, overrides the table for the inputs.
 */
package dev.gotrace.core.goroutines;
