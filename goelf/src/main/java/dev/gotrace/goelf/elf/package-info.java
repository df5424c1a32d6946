/**
 * The ELF container, little-endian, 32 and 64 bit: header, section headers and names, program
 * headers, {@code .symtab}/{@code .dynsym}, notes (GNU and Go build IDs), {@code .gnu_debuglink},
 * compressed sections (SHF_COMPRESSED zlib and legacy {@code .zdebug_*}), RELATIVE relocations,
 * and virtual address to file offset through the PT_LOAD segments. Source of truth: the System V
 * gABI and {@code elf.h}; Go's {@code debug/elf} is the model reader.
 */
package dev.gotrace.goelf.elf;
