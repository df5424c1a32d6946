package dev.gotrace.goelf.buildinfo;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.io.ByteCursor;
import dev.gotrace.goelf.version.GoVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds and decodes the build info blob. Layout per {@code debug/buildinfo/buildinfo.go} and
 * {@code cmd/link/internal/ld/data.go} ({@code buildinfo}): a 32-byte header, the 14-byte magic
 * {@code "\xff Go buildinf:"}, the pointer size, a flags byte, then either (flag bit 1 clear,
 * before Go 1.18) two pointers to Go string headers (version, modinfo), or (flag bit 1 set, Go
 * 1.18+) the two strings inline after the header, each prefixed by its varint length.
 */
public final class BuildInfoReader {
  static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
  private static final int HEADER = 32;
  private static final int FLAG_BIG_ENDIAN = 0x1;
  private static final int FLAG_INLINE = 0x2;

  private BuildInfoReader() {}

  /** The build info of {@code elf}, or empty when the binary carries none. */
  public static Optional<BuildInfo> read(ElfFile elf) throws GoBinaryException {
    Optional<Long> at = locate(elf);
    if (at.isEmpty()) {
      return Optional.empty();
    }
    long addr = at.get();
    ByteCursor h = elf.cursorAt(addr, HEADER, ".go.buildinfo");
    int ptrSize = h.u8At(14);
    int flags = h.u8At(15);
    String version;
    String mod;
    if ((flags & FLAG_INLINE) != 0) {
      ByteCursor c = inlineCursor(elf, addr);
      version = new String(c.bytes(c.uvarint32()), StandardCharsets.UTF_8);
      mod = new String(c.bytes(c.uvarint32()), StandardCharsets.UTF_8);
    } else {
      if ((flags & FLAG_BIG_ENDIAN) != 0 || ptrSize != elf.arch().ptrSize()) {
        throw h.corrupt(14, "build info header says pointer size " + ptrSize + ", flags 0x"
            + Integer.toHexString(flags) + ", which does not match this " + elf.arch().goArch() + " binary");
      }
      version = goString(elf, elf.pointerAt(addr + 16));
      mod = goString(elf, elf.pointerAt(addr + 16 + ptrSize));
    }
    if (version.isEmpty()) {
      return Optional.empty();
    }
    ModInfo.Parsed p = ModInfo.parse(ModInfo.unframe(mod));
    return Optional.of(new BuildInfo(version, GoVersion.parse(version), p.path(), p.main(), p.deps(), p.settings()));
  }

  /** The bytes after the header: to the end of the section, or of the containing segment. */
  private static ByteCursor inlineCursor(ElfFile elf, long addr) throws GoBinaryException {
    for (Segment s : elf.segments()) {
      if (s.isLoad() && s.containsInFile(addr)) {
        long avail = s.filesz() - (addr - s.vaddr()) - HEADER;
        if (avail < 0) {
          break;
        }
        return elf.cursorAt(addr + HEADER, avail, ".go.buildinfo");
      }
    }
    throw new CorruptBinaryException(elf.path(), ".go.buildinfo", addr, "build info header is truncated");
  }

  /**
   * A Go string header at {@code addr}: data pointer, then length. The header may lie in .bss
   * (zeros in memory, no file bytes): Go before 1.18 leaves {@code runtime.modinfo} there when
   * a program is built outside a module, which reads as the empty string.
   */
  private static String goString(ElfFile elf, long addr) throws GoBinaryException {
    int w = elf.arch().ptrSize();
    long len = ByteCursor.of(elf.readAt(addr + w, w), elf.path(), ".go.buildinfo string header", addr + w).wordAt(0, w);
    if (len == 0) {
      return "";
    }
    long data = elf.pointerAt(addr);
    if (len < 0 || len > ByteCursor.MAX_ALLOCATION) {
      throw new CorruptBinaryException(elf.path(), ".go.buildinfo", addr, "string length " + len + " is invalid");
    }
    return new String(elf.cursorAt(data, len, ".go.buildinfo string").bytesAt(0, len), StandardCharsets.UTF_8);
  }

  /**
   * The address of the blob: the {@code .go.buildinfo} section, else (no section headers, as
   * debug/buildinfo does) the first 16-byte aligned magic in a writable PT_LOAD segment.
   */
  static Optional<Long> locate(ElfFile elf) throws GoBinaryException {
    Optional<Section> s = elf.section(".go.buildinfo");
    if (s.isPresent() && s.get().isAlloc() && s.get().size() >= HEADER) {
      ByteCursor c = elf.rawSectionData(s.get());
      if (startsWithMagic(c, 0)) {
        return Optional.of(s.get().addr());
      }
    }
    for (Segment seg : elf.segments()) {
      if (!seg.isLoad() || !seg.isWritable() || seg.filesz() < HEADER) {
        continue;
      }
      ByteCursor c = elf.bytes().slice(seg.offset(), seg.filesz(), "data segment");
      long first = (16 - (seg.vaddr() & 15)) & 15;
      for (long o = first; o + HEADER <= c.size(); o += 16) {
        if (startsWithMagic(c, o)) {
          return Optional.of(seg.vaddr() + o);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean startsWithMagic(ByteCursor c, long o) throws CorruptBinaryException {
    if (!c.contains(o, MAGIC.length)) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if ((byte) c.u8At(o + i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
