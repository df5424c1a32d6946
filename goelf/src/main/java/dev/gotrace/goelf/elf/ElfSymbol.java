package dev.gotrace.goelf.elf;

/**
 * One entry of {@code .symtab} or {@code .dynsym}.
 *
 * @param name the symbol name from the linked string table
 * @param value st_value: the address for defined functions and objects
 * @param size st_size
 * @param type ELF symbol type (STT_OBJECT = 1, STT_FUNC = 2, ...)
 * @param bind ELF binding (STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2)
 * @param sectionIndex st_shndx (0 = undefined)
 * @param dynamic whether it came from {@code .dynsym}
 */
public record ElfSymbol(
    String name, long value, long size, int type, int bind, int sectionIndex, boolean dynamic) {
  public static final int STT_OBJECT = 1;
  public static final int STT_FUNC = 2;

  public boolean isDefined() {
    return sectionIndex != 0;
  }

  public boolean isFunction() {
    return type == STT_FUNC;
  }
}
