/**
 * Architectures as values ({@link dev.gotrace.goelf.arch.Arch}): pointer size, ELF machine,
 * GOARCH name and since when Go uses its register ABI there (Go internal ABI document,
 * {@code src/cmd/compile/abi-internal.md}).
 */
package dev.gotrace.goelf.arch;
