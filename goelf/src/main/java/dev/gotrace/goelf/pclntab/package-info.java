/**
 * The pclntab, Go's own table of functions, PCs and source positions, which every Go binary
 * keeps, stripped or not: all four formats (magics 0xfffffffb Go 1.2–1.15, 0xfffffffa Go
 * 1.16–1.17, 0xfffffff0 Go 1.18–1.19, 0xfffffff1 Go 1.20+), the function table, pc-value tables,
 * file:line, and inline trees. Sources of truth: {@code runtime/symtab.go},
 * {@code runtime/symtabinl.go}, {@code runtime/runtime2.go}, {@code internal/abi/symtab.go},
 * {@code cmd/link/internal/ld/pcln.go} and {@code debug/gosym/pclntab.go} of each version.
 *
 * <p>{@code _func} layouts are those of Go 1.12 and later for the 0xfffffffb format (the one
 * Go 1.12–1.15 write); tables of Go 1.2–1.11 share the magic but not that layout, and are
 * rejected when a check (entry fields agreeing with the function table) fails.
 */
package dev.gotrace.goelf.pclntab;
