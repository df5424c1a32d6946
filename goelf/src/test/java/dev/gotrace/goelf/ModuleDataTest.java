package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.moduledata.ModuleData;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.NextGo;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * runtime.firstmoduledata over the matrix: every word gotrace reads equals the symbol {@code go
 * tool nm} of the building toolchain lists for it; stripped and distribution builds read the
 * same text as their unstripped twins; damage is refused, never turned into wrong addresses.
 */
class ModuleDataTest {
  static List<TestBinary> withSymbols() {
    return TestBinaries.where(t -> !t.variant().equals("stripped") && !t.variant().equals("distro"));
  }

  static List<TestBinary> withoutSymbols() {
    return TestBinaries.where(t -> t.variant().equals("stripped") || t.variant().equals("distro"));
  }

  /**
   * Newest-format binaries (Go 1.26+, runtime.text only in the module data), amd64, not PIE: a
   * PIE's loader takes moduledata's pointers from relocations, not from the file's words.
   */
  static List<TestBinary> textOnlyInModuleData() {
    return TestBinaries.where(t -> t.goMinor() >= 26 && t.arch().equals("amd64") && t.program().equals("workload")
        && !t.variant().equals("pie"));
  }

  /** Go 1.18–1.25 binaries, whose pclntab header also records runtime.text. */
  static List<TestBinary> textInHeader() {
    return TestBinaries.where(t -> t.goMinor() >= 18 && t.goMinor() <= 25 && t.arch().equals("amd64")
        && t.program().equals("workload") && (t.variant().equals("default") || t.variant().equals("stripped")));
  }

  /** The newest series' workload in the variants users run. */
  static List<TestBinary> newest() {
    int newest = TestBinaries.all().stream().mapToInt(TestBinary::goMinor).max().orElseThrow();
    return TestBinaries.where(t -> t.goMinor() == newest && t.arch().equals("amd64") && t.program().equals("workload")
        && List.of("default", "stripped", "pie", "distro").contains(t.variant()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withSymbols")
  void everyWordIsTheSymbolNmNames(TestBinary t) throws GoBinaryException {
    GoBinary b = Oracles.open(t);
    ModuleData md = b.moduleData().orElseThrow(() -> new AssertionError(t.label() + ": no module data"));
    Map<String, Long> nm = Oracles.nm(t).stream()
        .collect(Collectors.toMap(Oracles.NmSymbol::name, Oracles.NmSymbol::address, (a, c) -> a));
    assertEquals(nm.get("runtime.firstmoduledata"), md.address(), "address");
    assertEquals(nm.get("runtime.text"), md.text(), "text");
    assertEquals(nm.get("runtime.etext"), md.etext(), "etext");
    assertEquals(nm.get("runtime.types"), md.types(), "types");
    assertEquals(nm.get("runtime.etypes"), md.etypes(), "etypes");
    assertEquals(b.functions().get(0).entry(), md.minpc(), "minpc");
    assertEquals(b.functions().get(b.functions().size() - 1).end(), md.maxpc(), "maxpc");
    if (t.goMinor() >= 18) {
      Long gofunc = nm.containsKey("go:func.*") ? nm.get("go:func.*") : nm.get("go.func.*");
      assertEquals(gofunc, md.gofunc().orElseThrow(), "gofunc");
      assertEquals(nm.get("runtime.text"), b.textStart(), "the pclntab's text start");
    } else {
      assertTrue(md.gofunc().isEmpty());
    }
    assertEquals(t.goMinor() >= 26 ? ModuleData.Source.SECTION : ModuleData.Source.SYMBOL, md.source());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutSymbols")
  void strippedBuildsReadTheirTwinsModuleData(TestBinary t) throws GoBinaryException {
    TestBinary twin = TestBinaries.get(t.series(), t.arch(), t.variant().equals("distro") ? "extlink" : "default",
        t.program());
    ModuleData md = Oracles.open(t).moduleData().orElseThrow();
    ModuleData expected = Oracles.open(twin).moduleData().orElseThrow();
    assertEquals(expected.text(), md.text(), "text");
    assertEquals(expected.etext(), md.etext(), "etext");
    assertEquals(expected.minpc(), md.minpc(), "minpc");
    assertEquals(expected.maxpc(), md.maxpc(), "maxpc");
    assertEquals(expected.text(), Oracles.open(t).textStart());
    // Data moves between the twins (build ids, paths), so gofunc is checked by what it serves.
    // (-trimpath changes the file names of call sites, not the code).
    assertEquals(inlined(Oracles.open(twin)), inlined(Oracles.open(t)));
    assertEquals(t.goMinor() >= 26 ? ModuleData.Source.SECTION : ModuleData.Source.SCAN, md.source());
  }

  // ---- damage

  private static byte[] image(TestBinary t) throws IOException {
    return Files.readAllBytes(t.path());
  }

  private static int wordOffset(GoBinary b, int word) throws GoBinaryException {
    ModuleData md = b.moduleData().orElseThrow();
    return Math.toIntExact(b.fileOffset(md.address()).orElseThrow() + 8L * word);
  }

  private static void put64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static long get64(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Word indices of text and minpc in every layout from Go 1.16. */
  private static final int MINPC = 20;
  private static final int TEXT = 22;

  @ParameterizedTest(name = "{0}")
  @MethodSource("textOnlyInModuleData")
  void aZeroedTextWordIsRefusedAsDamage(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = image(t);
    put64(img, wordOffset(b, TEXT), 0);
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(img, t.path()));
    assertTrue(e.getMessage().contains("moduledata.text 0x0 is not in an executable segment"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textOnlyInModuleData")
  void aShiftedMinpcIsRefusedAsDamage(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = image(t);
    int at = wordOffset(b, MINPC);
    put64(img, at, get64(img, at) + 0x100);
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(img, t.path()));
    assertTrue(e.getMessage().contains("not in order") || e.getMessage().contains("moduledata.minpc"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textOnlyInModuleData")
  void aShiftedTextIsRefusedAsDamage(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = image(t);
    int at = wordOffset(b, TEXT);
    // The C start-up code's start: the mistake gotrace made before module data was read.
    long textSection = b.elf().section(".text").map(Section::addr).orElseThrow();
    long shifted = textSection == b.textStart() ? b.textStart() + 0x100 : textSection;
    put64(img, at, shifted);
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(img, t.path()));
    assertTrue(e.getMessage().contains("moduledata.minpc") || e.getMessage().contains("are not in order"),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textInHeader")
  void headerAndModuleDataMustAgree(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = image(t);
    Section pcln = b.elf().section(".gopclntab").orElseThrow();
    int textWord = Math.toIntExact(pcln.offset() + 8 + 2 * 8);
    put64(img, textWord, get64(img, textWord) + 0x40);
    CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> GoBinary.of(img, t.path()));
    assertTrue(e.getMessage().contains("disagrees with moduledata.text"), e.getMessage());
  }

  /**
   * Go 1.18–1.25 with damaged module data: the header's runtime.text still places every function
   * exactly; funcdata offsets then need the go:func.* symbol, and without it (stripped) inline
   * trees are refused rather than read from a wrong base.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("textInHeader")
  void damagedModuleDataWithATextInTheHeader(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = image(t);
    put64(img, wordOffset(b, TEXT), 0);
    GoBinary damaged = GoBinary.of(img, t.path());
    assertEquals(entries(b), entries(damaged));
    assertTrue(damaged.moduleData().isEmpty());
    GoFunc main = damaged.function("main.main").orElseThrow();
    if (t.variant().equals("stripped")) {
      CorruptBinaryException e = assertThrows(CorruptBinaryException.class, () -> damaged.inlineTree(main));
      assertTrue(e.getMessage().contains("moduledata.gofunc"), e.getMessage());
    } else {
      assertEquals(b.inlineTree(b.function("main.main").orElseThrow()), damaged.inlineTree(main));
    }
  }

  /**
   * A Go release gotrace has not seen: the build-info version rewritten to go1.99 (same length).
   * Every layout is tried and only the one that proves itself is used: the same functions, at
   * the same addresses, with the same inline trees.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("newest")
  void theNextGoIsReadByProofNotByVersion(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = NextGo.image(t);
    GoBinary next = GoBinary.of(img, t.path());
    assertEquals("go1.99", next.goVersion().raw().substring(0, 6));
    assertEquals(entries(b), entries(next));
    assertEquals(b.textStart(), next.textStart());
    assertEquals(b.moduleData().orElseThrow().layout(), next.moduleData().orElseThrow().layout());
    GoFunc main = next.function("main.main").orElseThrow();
    assertEquals(b.inlineTree(b.function("main.main").orElseThrow()), next.inlineTree(main));
  }

  /** go1.99 and a zeroed text word: nothing proves runtime.text, so the binary is unsupported. */
  /** The same, without the PIE (see {@link #textOnlyInModuleData}). */
  static List<TestBinary> newestNotPie() {
    return newest().stream().filter(t -> !t.variant().equals("pie")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("newestNotPie")
  void theNextGoWithDamagedModuleDataIsRefused(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    byte[] img = NextGo.image(t);
    put64(img, wordOffset(b, TEXT), 0);
    UnsupportedGoException e = assertThrows(UnsupportedGoException.class, () -> GoBinary.of(img, t.path()));
    assertTrue(e.getMessage().contains("go1.99") && e.getMessage().contains("moduledata.text"), e.getMessage());
  }

  /** main.main's inline tree without file names: callee, parent, parent pc, line, ranges. */
  private static List<String> inlined(GoBinary b) throws GoBinaryException {
    return b.inlineTree(b.function("main.main").orElseThrow()).stream()
        .map(c -> c.function() + " " + c.parent() + " " + c.parentPc() + " "
            + c.callSite().map(p -> p.line()).orElse(-1) + " " + c.ranges())
        .toList();
  }

  private static Map<String, Long> entries(GoBinary b) {
    return b.functions().stream().collect(Collectors.toMap(f -> f.name() + "#" + f.funcOffset(), GoFunc::entry,
        (a, c) -> a));
  }

}
