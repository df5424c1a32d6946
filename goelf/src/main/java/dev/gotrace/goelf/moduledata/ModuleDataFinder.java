package dev.gotrace.goelf.moduledata;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.ElfSymbol;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.io.ByteCursor;
import dev.gotrace.goelf.pclntab.PcHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds {@code runtime.firstmoduledata} and proves it. Where: the {@code .go.module} section
 * (Go 1.26+), else the {@code runtime.firstmoduledata} symbol, else the word-aligned places in
 * the writable segments whose first word points at the pclntab header. Each place is read with
 * each candidate {@link ModuleLayout} and kept only when {@link ModuleProof} accepts it; exactly
 * one place must remain, and the layouts that fit it must agree on every word gotrace uses.
 */
public final class ModuleDataFinder {
  /** What finding gave: proven module data, or the reason there is none. */
  public sealed interface Result permits Found, NotFound {}

  /** The proven module data. */
  public record Found(ModuleData data) implements Result {}

  /**
   * No place passed the proof.
   *
   * @param why one line naming what did not agree (or that nothing was found)
   * @param address the place that came closest, 0 when there was none
   */
  public record NotFound(String why, long address) implements Result {}

  private record Place(long address, ModuleData.Source source) {}

  private ModuleDataFinder() {}

  /** Finds and proves the module data of the table with header {@code h}, trying {@code layouts}. */
  public static Result find(ElfFile elf, PcHeader h, List<ModuleLayout> layouts) throws GoBinaryException {
    if (layouts.isEmpty()) {
      return new NotFound("no module data layout goes with " + h.format(), 0);
    }
    List<Place> places = new ArrayList<>();
    Optional<Section> sect = elf.section(".go.module");
    if (sect.isPresent() && !sect.get().isNobits() && sect.get().addr() != 0) {
      places.add(new Place(sect.get().addr(), ModuleData.Source.SECTION));
    }
    Optional<ElfSymbol> sym = elf.symbols().lookup("runtime.firstmoduledata");
    if (sym.isPresent() && sym.get().value() != 0) {
      if (!places.isEmpty() && places.get(0).address() != sym.get().value()) {
        return new NotFound("the .go.module section (0x" + Long.toHexString(places.get(0).address())
            + ") and the runtime.firstmoduledata symbol (0x" + Long.toHexString(sym.get().value()) + ") disagree",
            places.get(0).address());
      }
      if (places.isEmpty()) {
        places.add(new Place(sym.get().value(), ModuleData.Source.SYMBOL));
      }
    }
    if (places.isEmpty()) {
      for (long a : pointersTo(elf, h.address())) {
        places.add(new Place(a, ModuleData.Source.SCAN));
      }
      if (places.isEmpty()) {
        return new NotFound("no .go.module section, no runtime.firstmoduledata symbol, and no word of the"
            + " writable segments points at the pclntab header 0x" + Long.toHexString(h.address()), 0);
      }
    }
    List<ModuleData> passed = new ArrayList<>();
    String firstProblem = null;
    long firstAddress = 0;
    for (Place p : places) {
      for (ModuleLayout l : layouts) {
        long[] words = words(elf, p.address(), l.words());
        if (words == null) {
          if (firstProblem == null) {
            firstProblem = "runtime.firstmoduledata at 0x" + Long.toHexString(p.address()) + " (" + p.source()
                + "): its " + l.words() + " words are not all file bytes of one segment";
            firstAddress = p.address();
          }
          continue;
        }
        Optional<String> problem = ModuleProof.check(elf, h, l, words);
        if (problem.isPresent()) {
          if (firstProblem == null) {
            firstProblem = "runtime.firstmoduledata at 0x" + Long.toHexString(p.address()) + " (" + p.source()
                + ", " + l + "): " + problem.get();
            firstAddress = p.address();
          }
          continue;
        }
        passed.add(ModuleProof.data(p.address(), p.source(), l, words));
      }
    }
    if (passed.isEmpty()) {
      return new NotFound(firstProblem, firstAddress);
    }
    ModuleData first = passed.get(0);
    for (ModuleData d : passed) {
      if (d.address() != first.address()) {
        return new NotFound("two places in the data segments pass as runtime.firstmoduledata (0x"
            + Long.toHexString(first.address()) + " and 0x" + Long.toHexString(d.address()) + ")", first.address());
      }
      if (d.text() != first.text() || d.minpc() != first.minpc() || d.maxpc() != first.maxpc()
          || d.types() != first.types() || d.etypes() != first.etypes() || !d.gofunc().equals(first.gofunc())) {
        return new NotFound("runtime.firstmoduledata at 0x" + Long.toHexString(first.address()) + " fits both the "
            + first.layout() + " and the " + d.layout() + ", which read different values from it", first.address());
      }
    }
    return new Found(first);
  }

  /** The words at {@code address}, pointers relocated in a PIE; null when they are not file bytes. */
  private static long[] words(ElfFile elf, long address, int n) throws GoBinaryException {
    int w = elf.arch().ptrSize();
    ByteCursor c;
    try {
      c = elf.cursorAt(address, (long) n * w, "runtime.firstmoduledata");
    } catch (dev.gotrace.goelf.CorruptBinaryException e) {
      return null;
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = c.wordAt((long) i * w, w);
      if (out[i] == 0 && elf.type() == ElfFile.ET_DYN) {
        out[i] = elf.relocations().relativeAddend(address + (long) i * w).orElse(0L);
      }
    }
    return out;
  }

  /** Word-aligned addresses in writable segments holding {@code target} (relocated in a PIE). */
  private static List<Long> pointersTo(ElfFile elf, long target) throws GoBinaryException {
    int w = elf.arch().ptrSize();
    List<Long> out = new ArrayList<>();
    for (Segment seg : elf.segments()) {
      if (!seg.isLoad() || !seg.isWritable() || seg.filesz() == 0) {
        continue;
      }
      ByteCursor c = elf.bytes().slice(seg.offset(), seg.filesz(), "data segment");
      for (long o = (w - (seg.vaddr() % w)) % w; o + w <= c.size(); o += w) {
        long v = c.wordAt(o, w);
        long a = seg.vaddr() + o;
        if (v == 0 && elf.type() == ElfFile.ET_DYN) {
          v = elf.relocations().relativeAddend(a).orElse(0L);
        }
        if (v == target) {
          out.add(a);
        }
      }
    }
    return out;
  }
}
