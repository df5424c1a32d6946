package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.ElfSymbol;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of {@code runtime.firstmoduledata} gotrace needs: {@code gofunc}, the base of
 * funcdata offsets from Go 1.18 (layout per runtime/symtab.go {@code moduledata}). Found by the
 * {@code go:func.*} / {@code go.func.*} symbol, else the {@code runtime.firstmoduledata} symbol,
 * else by scanning writable segments for a word equal to the pclntab address that is followed by
 * the function name table's address (moduledata starts with pcHeader, then funcnametab).
 */
public final class ModuleData {
  private ModuleData() {}

  /** moduledata.gofunc for a Go 1.18+ table; empty for older formats or when not found. */
  public static OptionalLong gofunc(ElfFile elf, Pclntab tab) throws GoBinaryException {
    if (!tab.format().funcdataAreGofuncOffsets()) {
      return OptionalLong.empty();
    }
    for (String name : new String[] {"go:func.*", "go.func.*"}) {
      Optional<ElfSymbol> s = elf.symbols().lookup(name);
      if (s.isPresent()) {
        return OptionalLong.of(s.get().value());
      }
    }
    OptionalLong md = address(elf, tab);
    if (md.isEmpty()) {
      return OptionalLong.empty();
    }
    int w = elf.arch().ptrSize();
    return OptionalLong.of(elf.pointerAt(md.getAsLong() + (long) tab.format().moduledataGofuncWord() * w));
  }

  /** The address of runtime.firstmoduledata. */
  public static OptionalLong address(ElfFile elf, Pclntab tab) throws GoBinaryException {
    Optional<ElfSymbol> s = elf.symbols().lookup("runtime.firstmoduledata");
    if (s.isPresent()) {
      return OptionalLong.of(s.get().value());
    }
    int w = elf.arch().ptrSize();
    long want = tab.address();
    long names = tab.address() + tab.funcnameOffset();
    for (Segment seg : elf.segments()) {
      if (!seg.isLoad() || !seg.isWritable()) {
        continue;
      }
      ByteCursor c = elf.bytes().slice(seg.offset(), seg.filesz(), "data segment");
      for (long o = (w - (seg.vaddr() % w)) % w; o + 2L * w <= c.size(); o += w) {
        long v = c.wordAt(o, w);
        long a = seg.vaddr() + o;
        if (v == 0 && elf.type() == ElfFile.ET_DYN) {
          v = elf.relocations().relativeAddend(a).orElse(0L);
        }
        if (v == want && elf.pointerAt(a + w) == names) {
          return OptionalLong.of(a);
        }
      }
    }
    return OptionalLong.empty();
  }
}
