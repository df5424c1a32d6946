package dev.gotrace.goelf.moduledata;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.SupportedGo;
import dev.gotrace.goelf.UnsupportedGoException;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.pclntab.PcHeader;
import dev.gotrace.goelf.pclntab.TextStart;
import dev.gotrace.goelf.version.GoVersion;
import java.util.List;
import java.util.Optional;

/**
 * Decides runtime.text for a Go 1.18+ pclntab, never from the start of {@code .text} (where C
 * start-up code sits in externally linked builds). The proven module data's text when it is
 * found, which must then equal the header's word where the header records one (Go 1.18–1.25);
 * else the header's word, when the function table it implies lies in one executable segment; else
 * (Go 1.26+, whose header leaves the word zero) the binary is refused: as damaged when it names a
 * release whose layout gotrace knows, as unsupported otherwise.
 */
public final class RuntimeText implements TextStart {
  private final ElfFile elf;
  private final GoVersion version;
  private ModuleData found;
  private String notFound;

  /**
   * @param version the version the build info names, or a range when it names none
   */
  public RuntimeText(ElfFile elf, GoVersion version) {
    this.elf = elf;
    this.version = version;
  }

  @Override
  public long of(PcHeader h) throws GoBinaryException {
    List<ModuleLayout> layouts = ModuleLayout.candidates(h.format(), version);
    if (layouts.isEmpty()) {
      throw new CorruptBinaryException(elf.path(), ".gopclntab", 0, "the build info says " + version.raw()
          + ", a release that does not write " + h.format());
    }
    ModuleDataFinder.Result r = ModuleDataFinder.find(elf, h, layouts);
    if (r instanceof ModuleDataFinder.Found f) {
      long text = f.data().text();
      if (h.recordedText() != 0 && h.recordedText() != text) {
        throw new CorruptBinaryException(elf.path(), ".gopclntab", 8, String.format(
            "the pclntab header's runtime.text 0x%x disagrees with moduledata.text 0x%x", h.recordedText(), text));
      }
      found = f.data();
      return text;
    }
    ModuleDataFinder.NotFound nf = (ModuleDataFinder.NotFound) r;
    notFound = nf.why();
    if (h.recordedText() != 0) {
      long text = h.recordedText();
      Optional<Segment> code = elf.segments().stream()
          .filter(s -> s.isLoad() && s.isExecutable() && s.containsInMemory(text + h.firstEntry())).findFirst();
      if (code.isEmpty() || !code.get().containsInMemory(text + h.endEntry() - 1)) {
        throw new CorruptBinaryException(elf.path(), ".gopclntab", 8, String.format(
            "the functions at runtime.text 0x%x + 0x%x..0x%x, as the pclntab header records it, are not in one"
                + " executable segment (and %s)", text, h.firstEntry(), h.endEntry(), nf.why()));
      }
      return text;
    }
    String why = "runtime.text cannot be proven (the pclntab header does not record it, as from Go 1.26): "
        + nf.why();
    if (layouts.stream().anyMatch(l -> l.isReleaseOf(version))) {
      throw new CorruptBinaryException(elf.path(), "runtime.firstmoduledata", nf.address(), why);
    }
    throw new UnsupportedGoException(elf.path(), version.raw() + ": " + why + "; gotrace knows the module data"
        + " of Go 1." + SupportedGo.OLDEST_MINOR + " to 1." + SupportedGo.NEWEST_KNOWN_MINOR);
  }

  /** The proven module data, when {@link #of} found it. */
  public Optional<ModuleData> moduleData() {
    return Optional.ofNullable(found);
  }

  /** Why no module data was proven, when {@link #of} ran and found none. */
  public Optional<String> whyNone() {
    return Optional.ofNullable(notFound);
  }
}
