/**
 * Reading Go binaries exactly: the ELF container, Go build info, the pclntab function table,
 * DWARF types, and the machine code of each function (exit sites, the end of the stack-check
 * prologue). Sources of truth: the ELF gABI, Go's {@code debug/elf}, {@code debug/buildinfo},
 * {@code debug/gosym}, {@code runtime/symtab.go} and {@code cmd/link}; Intel SDM for x86.
 *
 * <p>{@link dev.gotrace.goelf.GoBinary} is the entry point: it opens a file and exposes the
 * packages {@code elf} (container), {@code buildinfo}, {@code version}, {@code pclntab}
 * (functions, file:line, inline trees) and {@code match} (function name patterns).
 *
 * <p>All bytes go through {@link dev.gotrace.goelf.io.ByteCursor}; every public entry point
 * fails only with one of the four {@link dev.gotrace.goelf.GoBinaryException} kinds.
 */
package dev.gotrace.goelf;
