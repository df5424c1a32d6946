package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Damaged inputs: each kind of damage gives its specific exception, and nothing else escapes. */
class DamagedInputTest {
  /** One binary per pclntab format and word size: amd64 default workload of each series, and 386. */
  static List<TestBinary> samples() {
    return TestBinaries.where(t -> t.variant().equals("default") && t.program().equals("workload")
        && (t.arch().equals("amd64") || t.arch().equals("386") && t.goMinor() >= 20));
  }

  /** The oldest and the newest pclntab format, amd64: the fuzz loop is the slow part. */
  static List<TestBinary> fuzzSamples() {
    List<TestBinary> s = samples().stream().filter(t -> t.arch().equals("amd64")).toList();
    return s.size() <= 2 ? s : List.of(s.get(0), s.get(s.size() - 1));
  }

  private static byte[] bytes(TestBinary t) throws IOException {
    return Files.readAllBytes(t.path());
  }

  private static Section section(byte[] image, String name) throws GoBinaryException {
    return ElfFile.of(image, Path.of("image")).section(name).orElseThrow();
  }

  /** Offset of the section header of {@code s} in the file. */
  private static int sectionHeaderOffset(byte[] image, Section s) {
    boolean is64 = image[4] == 2;
    long shoff = is64 ? le(image, 40, 8) : le(image, 32, 4);
    int entsize = (int) (is64 ? le(image, 58, 2) : le(image, 46, 2));
    return (int) (shoff + (long) s.index() * entsize);
  }

  private static long le(byte[] b, int off, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static void put(byte[] b, int off, int n, long v) {
    for (int i = 0; i < n; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  @Test
  void flippedElfMagicIsNotElf() throws IOException {
    TestBinary t = samples().get(0);
    byte[] image = bytes(t);
    image[1] ^= 0x20;
    assertThrows(NotElfException.class, () -> GoBinary.of(image, t.path()));
  }

  @Test
  void systemBinaryIsNotGo() {
    Path ls = Path.of("/bin/ls");
    if (!Files.isRegularFile(ls)) {
      fail("/bin/ls is missing");
    }
    NotGoException e = assertThrows(NotGoException.class, () -> GoBinary.open(ls));
    assertTrue(e.describe().startsWith("/bin/ls: "), e.describe());
  }

  @Test
  void emptyAndTinyFilesAreNotElf(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertThrows(NotElfException.class, () -> GoBinary.open(empty));
    assertThrows(NotElfException.class, () -> GoBinary.open(dir.resolve("missing")));
    assertThrows(NotElfException.class, () -> GoBinary.of(new byte[] {0x7f, 'E', 'L', 'F'}, Path.of("tiny")));
  }

  @Test
  void bigEndianIsNotElf() throws IOException {
    byte[] image = bytes(samples().get(0));
    image[5] = 2; // EI_DATA = ELFDATA2MSB
    NotElfException e = assertThrows(NotElfException.class, () -> GoBinary.of(image, Path.of("be")));
    assertTrue(e.getMessage().contains("big-endian"), e.getMessage());
  }

  @Test
  void unknownMachineIsUnsupported() throws IOException {
    byte[] image = bytes(samples().get(0));
    put(image, 18, 2, 40); // EM_ARM
    assertThrows(UnsupportedGoException.class, () -> GoBinary.of(image, Path.of("arm")));
  }

  /** The section header says .gopclntab is much shorter than it is: truncated table. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void truncatedPclntabIsCorrupt(TestBinary t) throws Exception {
    byte[] image = bytes(t);
    Section s = section(image, ".gopclntab");
    int sh = sectionHeaderOffset(image, s);
    boolean is64 = image[4] == 2;
    put(image, sh + (is64 ? 32 : 20), is64 ? 8 : 4, s.size() / 3);
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(image, t.path()));
    assertEquals(".gopclntab", e.section());
    assertTrue(e.getMessage().startsWith("decoding .gopclntab at 0x"), e.getMessage());
  }

  /** The file ends in the middle of .gopclntab. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void fileCutInsidePclntabIsCorrupt(TestBinary t) throws Exception {
    byte[] image = bytes(t);
    Section s = section(image, ".gopclntab");
    byte[] cut = java.util.Arrays.copyOf(image, (int) (s.offset() + s.size() / 2));
    // What is found missing first (the section name table, .go.buildinfo, .gopclntab) depends
    // on the layout; the message names it and says the file is truncated.
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(cut, t.path()));
    assertTrue(e.getMessage().contains("truncated file"), e.getMessage());
    assertTrue(e.getMessage().startsWith("decoding " + e.section() + " at 0x"), e.getMessage());
  }

  /** nfunc, the first header word, inflated far beyond what the table holds. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void inflatedFunctionCountIsCorrupt(TestBinary t) throws Exception {
    byte[] image = bytes(t);
    Section s = section(image, ".gopclntab");
    int ptr = image[4] == 2 ? 8 : 4;
    long max = ptr == 8 ? 1L << 40 : 0xffffffffL;
    for (long n : new long[] {le(image, (int) s.offset() + 8, ptr) + 1, 0x7fffffffL, max, 0}) {
      byte[] copy = image.clone();
      put(copy, (int) s.offset() + 8, ptr, n);
      CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(copy, t.path()),
          "nfunc " + n);
      assertEquals(".gopclntab", e.section());
    }
  }

  /** An unknown pclntab magic names the supported versions. */
  @Test
  void unknownPclntabMagicIsUnsupported() throws Exception {
    TestBinary t = samples().get(0);
    byte[] image = bytes(t);
    Section s = section(image, ".gopclntab");
    put(image, (int) s.offset(), 4, 0xfffffff5L);
    UnsupportedGoException e = assertThrows(UnsupportedGoException.class, () -> GoBinary.of(image, t.path()));
    assertTrue(e.getMessage().contains("pclntab magic 0xfffffff5 is not one gotrace reads (it reads "
        + SupportedGo.statement()), e.getMessage());
  }

  /** Truncation at many lengths: only the four exception types, never anything else. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void truncatedAtRandomLengths(TestBinary t) throws IOException {
    byte[] image = bytes(t);
    Random rnd = new Random(42);
    for (int i = 0; i < 60; i++) {
      int len = i < 10 ? i * 7 : rnd.nextInt(image.length);
      exercise(java.util.Arrays.copyOf(image, len), "truncated to " + len);
    }
  }

  /**
   * Seeded mutation fuzzing: a few bytes changed in the headers, the section headers, the
   * pclntab header and function table, or anywhere; the binary is then opened and used.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fuzzSamples")
  void randomByteFlips(TestBinary t) throws Exception {
    byte[] image = bytes(t);
    ElfFile elf = ElfFile.of(image, t.path());
    Section pcln = elf.section(".gopclntab").orElseThrow();
    Section info = elf.section(".go.buildinfo").orElseThrow();
    int shoff = sectionHeaderOffset(image, elf.sections().get(0));
    Random rnd = new Random(0x60e1f);
    int rounds = 1000;
    for (int i = 0; i < rounds; i++) {
      int[] at = new int[1 + rnd.nextInt(4)];
      byte[] old = new byte[at.length];
      for (int k = 0; k < at.length; k++) {
        at[k] = switch (rnd.nextInt(6)) {
          case 0 -> rnd.nextInt(64 + 56 * 8); // ELF and program headers
          case 1 -> shoff + rnd.nextInt(Math.max(1, image.length - shoff)); // section headers
          case 2 -> (int) pcln.offset() + rnd.nextInt(64); // pclntab header
          case 3 -> (int) pcln.offset() + rnd.nextInt((int) Math.min(pcln.size(), 1 << 16)); // function table
          case 4 -> (int) info.offset() + rnd.nextInt((int) Math.min(info.size(), 256));
          default -> rnd.nextInt(image.length);
        };
        old[k] = image[at[k]];
        image[at[k]] = (byte) (rnd.nextInt(8) == 0 ? 0xff : old[k] ^ (1 << rnd.nextInt(8)));
      }
      exercise(image, "mutation " + i);
      for (int k = at.length - 1; k >= 0; k--) {
        image[at[k]] = old[k];
      }
    }
  }

  /**
   * The same without section headers, so that build info and pclntab are found by scanning the
   * segments and moduledata by its pointers: fewer rounds, each open scans the image.
   */
  @Test
  void randomDamageWithoutSectionHeaders() throws Exception {
    TestBinary t = fuzzSamples().get(fuzzSamples().size() - 1);
    byte[] image = bytes(t);
    ElfFile elf = ElfFile.of(image, t.path());
    Section pcln = elf.section(".gopclntab").orElseThrow();
    put(image, 40, 8, 0); // e_shoff
    put(image, 60, 4, 0); // e_shnum, e_shstrndx
    Random rnd = new Random(7);
    for (int i = 0; i < 120; i++) {
      int at = (int) pcln.offset() + rnd.nextInt((int) Math.min(pcln.size(), 1 << 12));
      byte old = image[at];
      image[at] = (byte) (old ^ (1 << rnd.nextInt(8)));
      exercise(image, "bare mutation " + i);
      image[at] = old;
    }
    for (int i = 0; i < 20; i++) {
      exercise(java.util.Arrays.copyOf(image, rnd.nextInt(image.length)), "bare truncation " + i);
    }
  }

  /** Opens and uses a (damaged) image; only the four GoBinaryException kinds may escape. */
  private static void exercise(byte[] image, String what) {
    try (GoBinary b = GoBinary.of(image, Path.of(what))) {
      b.goVersion().atLeast(1, 18);
      b.isExternallyLinked();
      List<GoFunc> fs = b.functions();
      for (int i = 0; i < fs.size(); i += Math.max(1, fs.size() / 8)) {
        GoFunc f = fs.get(i);
        b.sourcePos(f.entry());
        b.inlineTree(f);
        b.fileOffset(f.entry());
        b.readAt(f.entry(), 16);
      }
      b.function("main.main").ifPresent(f -> {
        try {
          b.inlineTree(f);
        } catch (GoBinaryException e) {
          // expected kind
        }
      });
      b.section(".debug_info");
      b.section(".zdebug_info");
      b.elf().gnuBuildId();
      b.elf().goBuildId();
    } catch (GoBinaryException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), what);
      // The facade's last-resort guard turns stray unchecked exceptions into CorruptBinary;
      // the parsers themselves should never need it.
      if (e.getCause() != null) {
        throw new AssertionError(what + ": the guard caught " + e.getCause(), e.getCause());
      }
    } catch (Throwable e) {
      throw new AssertionError(what + ": unexpected " + e, e);
    }
  }
}
