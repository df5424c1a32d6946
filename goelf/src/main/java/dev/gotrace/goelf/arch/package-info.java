/**
 * Architectures as values ({@link dev.gotrace.goelf.arch.Arch}): pointer size, ELF machine,
 * GOARCH name, since when Go uses its register ABI there (Go internal ABI document,
 * {@code src/cmd/compile/abi-internal.md}), and the machine's registers as {@link
 * dev.gotrace.goelf.arch.Register} values with their encoding, DWARF and {@code pt_regs} numbers
 * (System V psABIs, AADWARF64, the kernel's uapi {@code asm/ptrace.h}; see {@code Registers}).
 * This is the one place those facts are written.
 */
package dev.gotrace.goelf.arch;
