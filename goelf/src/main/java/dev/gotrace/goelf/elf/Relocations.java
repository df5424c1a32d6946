package dev.gotrace.goelf.elf;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.Arrays;
import java.util.Optional;

/**
 * The RELATIVE dynamic relocations of a PIE ({@code SHT_RELA} sections; Elf64_Rela/Elf32_Rela
 * per gABI). A PIE linked by Go stores many pointers only as relocation addends, leaving zeros
 * in the file, so reading a pointer in such a binary must consult them. Types: R_X86_64_RELATIVE
 * = 8, R_386_RELATIVE = 8, R_AARCH64_RELATIVE = 1027 (the psABI documents). SHT_REL relocations
 * keep the addend in place and need nothing.
 */
public final class Relocations {
  private final long[] offsets; // sorted
  private final long[] addends;

  private Relocations(long[] offsets, long[] addends) {
    this.offsets = offsets;
    this.addends = addends;
  }

  static Relocations read(ElfFile elf) throws GoBinaryException {
    if (elf.type() != ElfFile.ET_DYN) {
      return new Relocations(new long[0], new long[0]);
    }
    long relative = elf.arch() == Arch.ARM64 ? 1027 : 8;
    int size = elf.is64() ? 24 : 12;
    long[] offs = new long[16];
    long[] adds = new long[16];
    int n = 0;
    for (Section s : elf.sections()) {
      if (s.type() != Section.SHT_RELA) {
        continue;
      }
      ByteCursor c = elf.rawSectionData(s);
      int count = c.count(c.size() / size, size, "relocation");
      for (int i = 0; i < count; i++) {
        long o = (long) i * size;
        long off = c.wordAt(o, elf.is64() ? 8 : 4);
        long info = elf.is64() ? c.u64At(o + 8) : c.u32At(o + 4); // r_info follows r_offset
        long type = elf.is64() ? info & 0xffffffffL : info & 0xff;
        if (type != relative) {
          continue;
        }
        long add = elf.is64() ? c.u64At(o + 16) : c.u32At(o + 8);
        if (n == offs.length) {
          offs = Arrays.copyOf(offs, n * 2);
          adds = Arrays.copyOf(adds, n * 2);
        }
        offs[n] = off;
        adds[n] = add;
        n++;
      }
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    final long[] o = offs;
    Arrays.sort(idx, (a, b) -> Long.compareUnsigned(o[a], o[b]));
    long[] so = new long[n];
    long[] sa = new long[n];
    for (int i = 0; i < n; i++) {
      so[i] = offs[idx[i]];
      sa[i] = adds[idx[i]];
    }
    return new Relocations(so, sa);
  }

  /** The addend of the RELATIVE relocation that fills the word at {@code vaddr}. */
  public Optional<Long> relativeAddend(long vaddr) {
    int lo = 0;
    int hi = offsets.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(offsets[mid], vaddr);
      if (c == 0) {
        return Optional.of(addends[mid]);
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.empty();
  }

  public int size() {
    return offsets.length;
  }
}
