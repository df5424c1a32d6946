package dev.gotrace.goelf.elf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.NotElfException;
import dev.gotrace.goelf.UnsupportedGoException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.io.ByteCursor;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A little-endian ELF file (32 or 64 bit), mapped read-only: its header, section headers,
 * program headers, symbols, notes and the mapping between virtual addresses and file offsets.
 * Layouts per the System V gABI ({@code elf.h}); Go's {@code debug/elf} reads the same fields.
 *
 * <p>The mapping stays valid until the object is garbage collected; {@link #close()} drops this
 * object's references so that the mapping can be released.
 */
public final class ElfFile implements AutoCloseable {
  /** e_type of a position-independent executable or shared object. */
  public static final int ET_DYN = 3;
  public static final int ET_EXEC = 2;
  private static final int SHN_XINDEX = 0xffff;
  private static final int MAX_HEADERS = 1 << 16;

  private final Path path;
  private final ByteCursor file;
  private final boolean is64;
  private final int type;
  private final int machine;
  private final Arch arch;
  private final long entry;
  private final List<Section> sections;
  private final List<Segment> segments;
  private ElfSymbols symbols;
  private Relocations relocations;

  private ElfFile(Path path, ByteCursor file) throws GoBinaryException {
    this.path = path;
    this.file = file;
    if (file.size() < 16 || file.u32At(0) != 0x464c457fL) {
      throw new NotElfException(path, "not an ELF file (no \\x7fELF magic)");
    }
    int elfClass = file.u8At(4);
    int data = file.u8At(5);
    if (elfClass != 1 && elfClass != 2) {
      throw new NotElfException(path, "unknown ELF class " + elfClass + " (expected 1 = 32-bit or 2 = 64-bit)");
    }
    if (data == 2) {
      throw new NotElfException(path, "big-endian ELF is not supported (gotrace reads little-endian amd64, 386, arm64)");
    }
    if (data != 1) {
      throw new NotElfException(path, "unknown ELF data encoding " + data);
    }
    this.is64 = elfClass == 2;
    ByteCursor h = file.slice(0, Math.min(file.size(), is64 ? 64 : 52), "ELF header");
    h.check(0, is64 ? 64 : 52);
    this.type = h.u16At(16);
    this.machine = h.u16At(18);
    this.arch = Arch.fromElfMachine(machine).orElseThrow(() -> new UnsupportedGoException(path,
        "ELF machine " + machine + " is not supported (supported: amd64, 386, arm64)"));
    if ((arch.ptrSize() == 8) != is64) {
      throw new UnsupportedGoException(path, "ELF class " + (is64 ? 64 : 32) + "-bit does not match machine " + arch.goArch());
    }
    int w = is64 ? 8 : 4;
    this.entry = h.wordAt(24, w);
    long phoff = h.wordAt(24 + w, w);
    long shoff = h.wordAt(24 + 2 * w, w);
    int at = 24 + 3 * w + 4 + 2; // after e_flags and e_ehsize
    int phentsize = h.u16At(at);
    int phnum = h.u16At(at + 2);
    int shentsize = h.u16At(at + 4);
    int shnum = h.u16At(at + 6);
    int shstrndx = h.u16At(at + 8);
    this.segments = readSegments(phoff, phentsize, phnum);
    this.sections = readSections(shoff, shentsize, shnum, shstrndx);
  }

  /** Maps {@code path} read-only and reads its headers. */
  public static ElfFile open(Path path) throws GoBinaryException {
    long size;
    MappedByteBuffer map;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new UnsupportedGoException(path, "file of " + size + " bytes is larger than the 2 GiB gotrace can map");
      }
      map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
    } catch (IOException | UnsupportedOperationException e) {
      throw new NotElfException(path, "cannot read the file: " + e.getMessage());
    }
    return new ElfFile(path, ByteCursor.of(map, path, "file", 0));
  }

  /** Reads ELF bytes already in memory (tests, fuzzing). */
  public static ElfFile of(byte[] bytes, Path name) throws GoBinaryException {
    return new ElfFile(name, ByteCursor.of(bytes, name, "file", 0));
  }

  private List<Segment> readSegments(long phoff, int entsize, int num) throws CorruptBinaryException {
    List<Segment> out = new ArrayList<>();
    if (num == 0) {
      return List.of();
    }
    int want = is64 ? 56 : 32;
    if (entsize < want || num > MAX_HEADERS) {
      throw file.corrupt(phoff, "program header size " + entsize + " or count " + num + " is invalid");
    }
    ByteCursor t = region(phoff, (long) entsize * num, "program headers");
    for (int i = 0; i < num; i++) {
      long o = (long) i * entsize;
      if (is64) {
        out.add(new Segment(t.u32At(o), t.u32At(o + 4), t.u64At(o + 8), t.u64At(o + 16),
            t.u64At(o + 32), t.u64At(o + 40), t.u64At(o + 48)));
      } else {
        out.add(new Segment(t.u32At(o), t.u32At(o + 24), t.u32At(o + 4), t.u32At(o + 8),
            t.u32At(o + 16), t.u32At(o + 20), t.u32At(o + 28)));
      }
    }
    return List.copyOf(out);
  }

  private List<Section> readSections(long shoff, int entsize, int num, int shstrndx)
      throws CorruptBinaryException {
    if (shoff == 0) {
      return List.of();
    }
    int want = is64 ? 64 : 40;
    if (entsize < want) {
      throw file.corrupt(shoff, "section header size " + entsize + " is smaller than " + want);
    }
    ByteCursor first = region(shoff, want, "section headers");
    if (num == 0) { // extended numbering: the count is in section 0's sh_size
      long n = is64 ? first.u64At(32) : first.u32At(20);
      if (n < 0 || n > MAX_HEADERS) {
        throw file.corrupt(shoff, "section count " + n + " is invalid");
      }
      num = (int) n;
    }
    if (shstrndx == SHN_XINDEX) {
      shstrndx = (int) first.u32At(is64 ? 40 : 24);
    }
    ByteCursor t = region(shoff, (long) entsize * num, "section headers");
    long[][] raw = new long[num][];
    for (int i = 0; i < num; i++) {
      long o = (long) i * entsize;
      raw[i] = is64
          ? new long[] {t.u32At(o), t.u32At(o + 4), t.u64At(o + 8), t.u64At(o + 16), t.u64At(o + 24),
              t.u64At(o + 32), t.u32At(o + 40), t.u32At(o + 44), t.u64At(o + 56)}
          : new long[] {t.u32At(o), t.u32At(o + 4), t.u32At(o + 8), t.u32At(o + 12), t.u32At(o + 16),
              t.u32At(o + 20), t.u32At(o + 24), t.u32At(o + 28), t.u32At(o + 36)};
    }
    ByteCursor names = null;
    if (shstrndx > 0 && shstrndx < num) {
      long[] s = raw[shstrndx];
      names = region(s[4], s[5], "section name table");
    }
    List<Section> out = new ArrayList<>(num);
    for (int i = 0; i < num; i++) {
      long[] s = raw[i];
      String name = names == null || i == 0 ? "" : names.cstringAt(s[0]);
      out.add(new Section(i, name, s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]));
    }
    return List.copyOf(out);
  }

  /** The file bytes {@code [off, off+n)} as a region named {@code name}; errors name it too. */
  private ByteCursor region(long off, long n, String name) throws CorruptBinaryException {
    if (!file.contains(off, n)) {
      throw new CorruptBinaryException(path, name, off, n + " bytes at this offset lie outside the file ("
          + file.size() + " bytes): truncated file");
    }
    return file.slice(off, n, name);
  }

  public Path path() {
    return path;
  }

  public boolean is64() {
    return is64;
  }

  /** e_type: {@link #ET_EXEC}, {@link #ET_DYN}, ... */
  public int type() {
    return type;
  }

  public int machine() {
    return machine;
  }

  public Arch arch() {
    return arch;
  }

  public long entry() {
    return entry;
  }

  public List<Section> sections() {
    return sections;
  }

  public List<Segment> segments() {
    return segments;
  }

  /** The whole file as a cursor; offsets are file offsets. */
  public ByteCursor bytes() {
    return file.duplicate();
  }

  public long size() {
    return file.size();
  }

  public Optional<Section> section(String name) {
    for (Section s : sections) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Whether a program header of type {@code ptType} exists (e.g. PT_INTERP, PT_DYNAMIC). */
  public boolean hasSegment(long ptType) {
    return segments.stream().anyMatch(s -> s.type() == ptType);
  }

  /**
   * The bytes of a section as stored in the file, or decompressed when it is compressed
   * (SHF_COMPRESSED, or a legacy {@code .zdebug_*} section). Empty for SHT_NOBITS.
   */
  public ByteCursor sectionData(Section s) throws GoBinaryException {
    if (s.isNobits()) {
      return ByteCursor.of(new byte[0], path, s.name(), s.offset());
    }
    ByteCursor raw = rawSectionData(s);
    if (s.isCompressed()) {
      return Decompressor.elfCompressed(raw, is64);
    }
    if (s.name().startsWith(".zdebug_")) {
      return Decompressor.legacyZlib(raw);
    }
    return raw;
  }

  /** The file bytes of a section without decompression. */
  public ByteCursor rawSectionData(Section s) throws CorruptBinaryException {
    long n = s.isNobits() ? 0 : s.size();
    if (!file.contains(s.offset(), n)) {
      throw new CorruptBinaryException(path, s.name(), s.offset(), "section of " + n
          + " bytes extends past the end of the file (" + file.size() + " bytes): truncated file");
    }
    return file.slice(s.offset(), n, s.name());
  }

  // ---- addresses

  /**
   * The file offset holding the byte at virtual address {@code vaddr}, through the PT_LOAD
   * segment that contains it: {@code vaddr - p_vaddr + p_offset}. Works for PIE (addresses are
   * link-time, as in the file) and non-PIE alike.
   */
  public Optional<Long> fileOffset(long vaddr) {
    for (Segment s : segments) {
      if (s.isLoad() && s.containsInFile(vaddr)) {
        return Optional.of(vaddr - s.vaddr() + s.offset());
      }
    }
    return Optional.empty();
  }

  /** The virtual address a file offset is loaded at, if it is inside a PT_LOAD segment. */
  public Optional<Long> vaddr(long fileOffset) {
    for (Segment s : segments) {
      if (s.isLoad() && fileOffset >= s.offset() && fileOffset - s.offset() < s.filesz()) {
        return Optional.of(fileOffset - s.offset() + s.vaddr());
      }
    }
    return Optional.empty();
  }

  /**
   * {@code n} bytes of the loaded image at {@code vaddr}: file bytes of the containing PT_LOAD,
   * zeros past its p_filesz (.bss). The whole range must lie in one segment.
   */
  public byte[] readAt(long vaddr, int n) throws CorruptBinaryException {
    if (n < 0 || n > ByteCursor.MAX_ALLOCATION) {
      throw new CorruptBinaryException(path, "image", vaddr, "read of " + n + " bytes refused");
    }
    for (Segment s : segments) {
      if (s.isLoad() && s.containsInMemory(vaddr)
          && Long.compareUnsigned(vaddr - s.vaddr() + n, s.memsz()) <= 0) {
        byte[] out = new byte[n];
        long rel = vaddr - s.vaddr();
        long fromFile = Math.max(0, Math.min(n, s.filesz() - rel));
        if (fromFile > 0) {
          file.copyTo(s.offset() + rel, out, 0, (int) fromFile);
        }
        return out;
      }
    }
    throw new CorruptBinaryException(path, "image", vaddr, n + " bytes at this address are not inside one PT_LOAD segment");
  }

  /** A cursor over the file bytes of the loaded image starting at {@code vaddr}, {@code n} long. */
  public ByteCursor cursorAt(long vaddr, long n, String name) throws CorruptBinaryException {
    for (Segment s : segments) {
      if (s.isLoad() && s.containsInFile(vaddr)
          && Long.compareUnsigned(vaddr - s.vaddr() + n, s.filesz()) <= 0) {
        ByteCursor c = file.slice(vaddr - s.vaddr() + s.offset(), n, name);
        return c;
      }
    }
    throw new CorruptBinaryException(path, name, vaddr, n + " bytes at this address are not file bytes of one PT_LOAD segment");
  }

  /**
   * A pointer stored at {@code vaddr}. In a PIE the linker may leave the word zero and put the
   * value in a RELATIVE dynamic relocation's addend; that addend is returned then.
   */
  public long pointerAt(long vaddr) throws GoBinaryException {
    int w = arch.ptrSize();
    long v = cursorAt(vaddr, w, "pointer").wordAt(0, w);
    if (v == 0 && type == ET_DYN) {
      return relocations().relativeAddend(vaddr).orElse(0L);
    }
    return v;
  }

  /** The RELATIVE relocations of a PIE (empty otherwise). */
  public synchronized Relocations relocations() throws GoBinaryException {
    if (relocations == null) {
      relocations = Relocations.read(this);
    }
    return relocations;
  }

  // ---- symbols and notes

  /** The symbols of {@code .symtab} and {@code .dynsym}. */
  public synchronized ElfSymbols symbols() throws GoBinaryException {
    if (symbols == null) {
      symbols = ElfSymbols.read(this);
    }
    return symbols;
  }

  /** The GNU build-id (NT_GNU_BUILD_ID) as lower-case hex. */
  public Optional<String> gnuBuildId() throws GoBinaryException {
    return Notes.read(this).stream().filter(n -> n.name().equals("GNU") && n.type() == 3)
        .findFirst().map(n -> Notes.hex(n.desc()));
  }

  /** The Go build ID note ({@code .note.go.buildid}, owner "Go", type 4). */
  public Optional<String> goBuildId() throws GoBinaryException {
    return Notes.read(this).stream().filter(n -> n.name().equals("Go") && n.type() == 4)
        .findFirst().map(n -> new String(n.desc(), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The {@code .gnu_debuglink} section: the separate debug file's name and CRC-32. */
  public Optional<DebugLink> debugLink() throws GoBinaryException {
    Optional<Section> s = section(".gnu_debuglink");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    ByteCursor c = sectionData(s.get());
    String name = c.cstringAt(0);
    long crcAt = (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 + 3) & ~3L;
    return Optional.of(new DebugLink(name, c.u32At(crcAt)));
  }

  @Override
  public void close() {
    symbols = null;
    relocations = null;
  }
}
