package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.ElfSymbol;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.Optional;

/**
 * Finds the pclntab of an ELF file and loads it: from the {@code .gopclntab} section, else from
 * the {@code runtime.pclntab}..{@code runtime.epclntab} symbols, else by scanning the loaded
 * segments for a header magic whose header and function table decode (the way Go's
 * {@code debug/gosym} users and Delve cope with binaries without the section).
 */
public final class PclntabLocator {
  /** Where the table was found: {@code section}, {@code symbols} or {@code scan}. */
  public enum Source { SECTION, SYMBOLS, SCAN }

  /** A loaded pclntab and where it came from. */
  public record Found(Pclntab table, Source source) {}

  private PclntabLocator() {}

  /**
   * The pclntab of {@code elf}, or empty when none is found; {@code text} decides runtime.text
   * for Go 1.18+ tables (see {@link TextStart}).
   */
  public static Optional<Found> find(ElfFile elf, TextStart text) throws GoBinaryException {
    Optional<Section> s = elf.section(".gopclntab");
    if (s.isPresent() && !s.get().isNobits()) {
      ByteCursor c = elf.rawSectionData(s.get());
      return Optional.of(new Found(load(elf, c, s.get().addr(), text), Source.SECTION));
    }
    Optional<ElfSymbol> start = elf.symbols().lookup("runtime.pclntab");
    Optional<ElfSymbol> end = elf.symbols().lookup("runtime.epclntab");
    if (start.isPresent() && end.isPresent() && Long.compareUnsigned(end.get().value(), start.get().value()) > 0) {
      long a = start.get().value();
      ByteCursor c = elf.cursorAt(a, end.get().value() - a, ".gopclntab");
      return Optional.of(new Found(load(elf, c, a, text), Source.SYMBOLS));
    }
    return scan(elf, text).map(t -> new Found(t, Source.SCAN));
  }

  private static Pclntab load(ElfFile elf, ByteCursor c, long addr, TextStart text) throws GoBinaryException {
    Pclntab.Relocated relocated = v -> elf.relocations().relativeAddend(v).orElse(0L);
    PcHeader h = PcHeader.read(c, addr, relocated);
    long textStart = h.format().entriesAreTextOffsets() ? text.of(h) : 0;
    return Pclntab.parse(c, addr, elf.arch(), textStart, relocated);
  }

  private static Optional<Pclntab> scan(ElfFile elf, TextStart text) throws GoBinaryException {
    int ptr = elf.arch().ptrSize();
    int quantum = elf.arch().pcQuantum();
    for (Segment seg : elf.segments()) {
      if (!seg.isLoad() || seg.filesz() < 64) {
        continue;
      }
      ByteCursor c = elf.bytes().slice(seg.offset(), seg.filesz(), ".gopclntab");
      for (long o = (4 - (seg.vaddr() & 3)) & 3; o + 64 <= c.size(); o += 4) {
        long magic = c.u32At(o);
        if ((magic & 0xfffffff0L) != 0xfffffff0L || PclntabFormat.fromMagic(magic).isEmpty()
            || c.u16At(o + 4) != 0 || c.u8At(o + 6) != quantum || c.u8At(o + 7) != ptr) {
          continue;
        }
        try {
          Pclntab t = load(elf, c.slice(o, c.size() - o, ".gopclntab"), seg.vaddr() + o, text);
          if (!t.functions().isEmpty()) {
            return Optional.of(t);
          }
        } catch (GoBinaryException e) {
          // Not a table after all (or a damaged one): keep looking.
        }
      }
    }
    return Optional.empty();
  }
}
