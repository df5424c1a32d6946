/**
 * The static view of a Go binary, as {@code gotrace info} and {@code gotrace list} show it: a
 * summary of the binary, and per function its source position, inlined copies and probe sites
 * (entry after the stack-check prologue, every exit). Pure values built from
 * {@link dev.gotrace.goelf.GoBinary}; renderers live in the CLI.
 */
package dev.gotrace.core.inspect;
