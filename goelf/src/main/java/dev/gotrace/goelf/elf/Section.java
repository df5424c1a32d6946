package dev.gotrace.goelf.elf;

/**
 * One ELF section header, with its name resolved from the section-name string table.
 *
 * @param index position in the section header table
 * @param name e.g. {@code .gopclntab}
 * @param type sh_type (SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_NOBITS = 8, ...)
 * @param flags sh_flags (SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4, SHF_COMPRESSED = 0x800)
 * @param addr virtual address when loaded, 0 if not allocated
 * @param offset file offset of the first byte
 * @param size size in the file (for SHT_NOBITS: in memory only)
 * @param link sh_link
 * @param info sh_info
 * @param entsize size of one entry for tables, else 0
 */
public record Section(
    int index, String name, long type, long flags, long addr, long offset, long size,
    long link, long info, long entsize) {

  public static final long SHT_SYMTAB = 2;
  public static final long SHT_STRTAB = 3;
  public static final long SHT_RELA = 4;
  public static final long SHT_NOTE = 7;
  public static final long SHT_NOBITS = 8;
  public static final long SHT_REL = 9;
  public static final long SHT_DYNSYM = 11;
  public static final long SHF_ALLOC = 0x2;
  public static final long SHF_EXECINSTR = 0x4;
  public static final long SHF_COMPRESSED = 0x800;

  /** Whether the section occupies no bytes in the file (.bss). */
  public boolean isNobits() {
    return type == SHT_NOBITS;
  }

  /** Whether its bytes start with an Elf_Chdr compression header (SHF_COMPRESSED). */
  public boolean isCompressed() {
    return (flags & SHF_COMPRESSED) != 0;
  }

  public boolean isAlloc() {
    return (flags & SHF_ALLOC) != 0;
  }

  public boolean isExecutable() {
    return (flags & SHF_EXECINSTR) != 0;
  }

  /** Whether {@code vaddr} lies inside this section when loaded. */
  public boolean containsAddr(long vaddr) {
    return isAlloc() && Long.compareUnsigned(vaddr, addr) >= 0
        && Long.compareUnsigned(vaddr - addr, size) < 0;
  }
}
