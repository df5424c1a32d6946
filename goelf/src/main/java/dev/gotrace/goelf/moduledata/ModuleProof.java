package dev.gotrace.goelf.moduledata;

import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.pclntab.PcHeader;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The proof that words read as module data are the module data of this pclntab: the first word
 * points at the header, ftab is the function table with nfunc + 1 entries, text ≤ minpc < maxpc ≤
 * etext inside one executable segment, minpc and maxpc are the first entry and the end sentinel of
 * the function table (as offsets from text where entries are offsets), the type descriptors lie
 * in a loaded segment, and gofunc in one too, outside the text.
 */
final class ModuleProof {
  private ModuleProof() {}

  /** The first check that fails, in words a user can act on; empty when all hold. */
  static Optional<String> check(ElfFile elf, PcHeader h, ModuleLayout l, long[] w) {
    if (w[0] != h.address()) {
      return fail("its first word 0x%x does not point at the pclntab header 0x%x", w[0], h.address());
    }
    if (w[l.ftab] != h.functab()) {
      return fail("moduledata.ftab points at 0x%x, not at the function table 0x%x", w[l.ftab], h.functab());
    }
    if (w[l.ftab + 1] != h.nfunc() + 1) {
      return fail("moduledata.ftab has %d entries, the pclntab %d functions and an end entry",
          w[l.ftab + 1], h.nfunc());
    }
    long text = w[l.text];
    long etext = w[l.etext];
    long minpc = w[l.minpc];
    long maxpc = w[l.maxpc];
    Optional<Segment> code = segment(elf, text);
    if (code.isEmpty() || !code.get().isExecutable()) {
      return fail("moduledata.text 0x%x is not in an executable segment", text);
    }
    if (!(le(text, minpc) && lt(minpc, maxpc) && le(maxpc, etext))) {
      return fail("text 0x%x, minpc 0x%x, maxpc 0x%x, etext 0x%x are not in order", text, minpc, maxpc, etext);
    }
    if (!code.get().containsInMemory(etext - 1)) {
      return fail("moduledata.etext 0x%x is not in the executable segment of text 0x%x", etext, text);
    }
    boolean offsets = h.format().entriesAreTextOffsets();
    long first = offsets ? text + h.firstEntry() : h.firstEntry();
    long end = offsets ? text + h.endEntry() : h.endEntry();
    if (minpc != first) {
      return fail("moduledata.minpc 0x%x is not the first function's entry 0x%x%s", minpc, first,
          offsets ? String.format(" (text 0x%x + 0x%x)", text, h.firstEntry()) : "");
    }
    if (maxpc != end) {
      return fail("moduledata.maxpc 0x%x is not the end of the last function 0x%x%s", maxpc, end,
          offsets ? String.format(" (text 0x%x + 0x%x)", text, h.endEntry()) : "");
    }
    long types = w[l.types];
    long etypes = w[l.etypes];
    Optional<Segment> typeSeg = segment(elf, types);
    if (typeSeg.isEmpty() || lt(etypes, types)
        || (etypes != types && !typeSeg.get().containsInMemory(etypes - 1))) {
      return fail("moduledata.types 0x%x..etypes 0x%x is not a range of one loaded segment", types, etypes);
    }
    if (l.hasGofunc()) {
      long gofunc = w[l.gofunc];
      if (segment(elf, gofunc).isEmpty() || (le(text, gofunc) && lt(gofunc, etext))) {
        return fail("moduledata.gofunc 0x%x is not data of a loaded segment outside text..etext", gofunc);
      }
    }
    return Optional.empty();
  }

  /** The module data the words hold (after {@link #check} accepted them). */
  static ModuleData data(long address, ModuleData.Source source, ModuleLayout l, long[] w) {
    return new ModuleData(address, source, l, w[l.text], w[l.etext], w[l.minpc], w[l.maxpc], w[l.types],
        w[l.etypes], l.hasGofunc() ? OptionalLong.of(w[l.gofunc]) : OptionalLong.empty());
  }

  private static Optional<Segment> segment(ElfFile elf, long vaddr) {
    for (Segment s : elf.segments()) {
      if (s.isLoad() && s.containsInMemory(vaddr)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static boolean le(long a, long b) {
    return Long.compareUnsigned(a, b) <= 0;
  }

  private static boolean lt(long a, long b) {
    return Long.compareUnsigned(a, b) < 0;
  }

  private static Optional<String> fail(String format, Object... args) {
    return Optional.of(String.format(format, args));
  }
}
