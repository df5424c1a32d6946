/**
 * Reading Go binaries exactly: the ELF container, Go build info, the pclntab function table,
 * DWARF types, and the machine code of each function (exit sites, the end of the stack-check
 * prologue). Sources of truth: the ELF gABI, Go's {@code debug/elf}, {@code debug/buildinfo},
 * {@code debug/gosym}, {@code runtime/symtab.go} and {@code cmd/link}; Intel SDM for x86.
 *
 * <p>All bytes go through {@link dev.gotrace.goelf.io.ByteCursor}; every public entry point
 * fails only with one of the four {@link dev.gotrace.goelf.GoBinaryException} kinds.
 */
package dev.gotrace.goelf;
