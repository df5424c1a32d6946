package dev.gotrace.goelf.elf;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ELF notes (gABI "Note Section"): namesz, descsz, type, then name and descriptor, each padded to
 * 4 bytes. Read from SHT_NOTE sections, or PT_NOTE segments when there are no section headers
 * (then only what PT_NOTE covers is seen: Go 1.24's internal linker puts only the Go note there).
 */
final class Notes {
  record Note(String name, long type, byte[] desc) {}

  private Notes() {}

  static List<Note> read(ElfFile elf) throws GoBinaryException {
    List<Note> out = new ArrayList<>();
    boolean any = false;
    for (Section s : elf.sections()) {
      if (s.type() == Section.SHT_NOTE) {
        any = true;
        parse(elf.rawSectionData(s), out);
      }
    }
    if (!any) {
      for (Segment p : elf.segments()) {
        if (p.type() == Segment.PT_NOTE) {
          parse(elf.bytes().slice(p.offset(), p.filesz(), "PT_NOTE"), out);
        }
      }
    }
    return out;
  }

  private static void parse(ByteCursor c, List<Note> out) throws GoBinaryException {
    long o = 0;
    while (c.contains(o, 12)) {
      long namesz = c.u32At(o);
      long descsz = c.u32At(o + 4);
      long type = c.u32At(o + 8);
      long nameAt = o + 12;
      long descAt = nameAt + align4(namesz);
      c.check(nameAt, align4(namesz));
      c.check(descAt, descsz);
      String name = new String(c.bytesAt(nameAt, namesz), StandardCharsets.UTF_8);
      int nul = name.indexOf('\0');
      out.add(new Note(nul >= 0 ? name.substring(0, nul) : name, type, c.bytesAt(descAt, descsz)));
      o = descAt + align4(descsz);
    }
  }

  private static long align4(long n) {
    return (n + 3) & ~3L;
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }
}
