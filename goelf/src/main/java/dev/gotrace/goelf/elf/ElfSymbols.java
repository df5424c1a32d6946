package dev.gotrace.goelf.elf;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The symbols of {@code .symtab} (absent when stripped) and {@code .dynsym}. */
public final class ElfSymbols {
  private final List<ElfSymbol> symtab;
  private final List<ElfSymbol> dynsym;
  private final Map<String, ElfSymbol> byName = new HashMap<>();

  private ElfSymbols(List<ElfSymbol> symtab, List<ElfSymbol> dynsym) {
    this.symtab = symtab;
    this.dynsym = dynsym;
    for (ElfSymbol s : dynsym) {
      if (s.isDefined()) {
        byName.putIfAbsent(s.name(), s);
      }
    }
    for (ElfSymbol s : symtab) {
      if (s.isDefined()) {
        byName.put(s.name(), s);
      }
    }
  }

  static ElfSymbols read(ElfFile elf) throws GoBinaryException {
    List<ElfSymbol> symtab = List.of();
    List<ElfSymbol> dynsym = List.of();
    for (Section s : elf.sections()) {
      if (s.type() == Section.SHT_SYMTAB && symtab.isEmpty()) {
        symtab = table(elf, s, false);
      } else if (s.type() == Section.SHT_DYNSYM && dynsym.isEmpty()) {
        dynsym = table(elf, s, true);
      }
    }
    return new ElfSymbols(symtab, dynsym);
  }

  private static List<ElfSymbol> table(ElfFile elf, Section s, boolean dynamic) throws GoBinaryException {
    if (s.link() <= 0 || s.link() >= elf.sections().size()) {
      throw elf.bytes().corrupt(s.offset(), s.name() + " links to no string table (sh_link " + s.link() + ")");
    }
    ByteCursor strings = elf.sectionData(elf.sections().get((int) s.link()));
    ByteCursor t = elf.sectionData(s);
    int size = elf.is64() ? 24 : 16;
    int n = t.count(t.size() / size, size, "symbol");
    List<ElfSymbol> out = new ArrayList<>(n);
    for (int i = 1; i < n; i++) { // entry 0 is the null symbol
      long o = (long) i * size;
      long name = t.u32At(o);
      long value;
      long sz;
      int info;
      int shndx;
      if (elf.is64()) {
        info = t.u8At(o + 4);
        shndx = t.u16At(o + 6);
        value = t.u64At(o + 8);
        sz = t.u64At(o + 16);
      } else {
        value = t.u32At(o + 4);
        sz = t.u32At(o + 8);
        info = t.u8At(o + 12);
        shndx = t.u16At(o + 14);
      }
      out.add(new ElfSymbol(strings.cstringAt(name), value, sz, info & 0xf, info >> 4, shndx, dynamic));
    }
    return List.copyOf(out);
  }

  /** {@code .symtab}; empty when the binary is stripped. */
  public List<ElfSymbol> symtab() {
    return symtab;
  }

  public List<ElfSymbol> dynsym() {
    return dynsym;
  }

  /** A defined symbol by exact name, preferring {@code .symtab}. */
  public Optional<ElfSymbol> lookup(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
