package dev.gotrace.goelf;

import dev.gotrace.goelf.dwarf.DebugFiles;
import dev.gotrace.goelf.dwarf.DwarfSections;
import dev.gotrace.goelf.dwarf.DwarfUnits;
import dev.gotrace.goelf.elf.DebugLink;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.io.ByteCursor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and reads a binary's DWARF: from its own sections ({@code .debug_*}, compressed or
 * legacy {@code .zdebug_*}), else from a separate debug file under {@code /usr/lib/debug} named
 * by its build-id or {@code .gnu_debuglink} (the layout gdb and Debian's -dbgsym packages use).
 */
final class DwarfLoader {
  private static final List<String> SECTIONS = List.of(".debug_info", ".debug_abbrev",
      ".debug_str", ".debug_line_str", ".debug_str_offsets", ".debug_addr", ".debug_rnglists",
      ".debug_ranges", ".debug_loclists", ".debug_loc", ".debug_line");

  /** The DWARF's units (indexed, read on demand), and the separate debug file it came from (to close), if any. */
  record Loaded(DwarfUnits units, Optional<ElfFile> debugFile) {}

  private DwarfLoader() {}

  static boolean has(ElfFile elf) {
    return elf.section(".debug_info").isPresent() || elf.section(".zdebug_info").isPresent();
  }

  static Optional<Loaded> load(Path path, ElfFile elf) throws GoBinaryException {
    return load(path, elf, DebugFiles.DEFAULT_ROOT);
  }

  /** As {@link #load(Path, ElfFile)}, with separate debug files under {@code debugRoot}. */
  static Optional<Loaded> load(Path path, ElfFile elf, Path debugRoot) throws GoBinaryException {
    if (has(elf)) {
      return Optional.of(new Loaded(read(elf), Optional.empty()));
    }
    Optional<String> link = elf.debugLink().map(DebugLink::fileName);
    for (Path candidate : DebugFiles.candidates(debugRoot, path, elf.gnuBuildId(), link)) {
      if (!Files.isRegularFile(candidate)) {
        continue;
      }
      ElfFile debug = ElfFile.open(candidate);
      if (has(debug) && debug.machine() == elf.machine()) {
        try {
          return Optional.of(new Loaded(read(debug), Optional.of(debug)));
        } catch (GoBinaryException e) {
          debug.close();
          throw e;
        }
      }
      debug.close();
    }
    return Optional.empty();
  }

  /** The sections are decompressed when the DWARF reader first needs each (DwarfSections). */
  private static DwarfUnits read(ElfFile elf) throws GoBinaryException {
    Map<String, Section> found = new HashMap<>();
    for (String name : SECTIONS) {
      Optional<Section> s = elf.section(name).or(() -> elf.section(".z" + name.substring(1)));
      s.ifPresent(sec -> found.put(name, sec));
    }
    DwarfSections sections = DwarfSections.of(n -> {
      Section s = found.get(n);
      if (s == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(elf.sectionData(s));
      } catch (CorruptBinaryException e) {
        throw new DwarfSections.Unreadable(e);
      } catch (GoBinaryException e) {
        throw new DwarfSections.Unreadable(new CorruptBinaryException(elf.path(), n, 0, e.getMessage(), e));
      }
    });
    return DwarfUnits.open(sections, elf.arch().ptrSize());
  }
}
