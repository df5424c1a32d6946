package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.buildinfo.BuildInfo;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.SourcePos;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every binary of the test matrix, checked against the Go toolchain's nm and GNU objdump. */
class MatrixTest {
  static List<TestBinary> all() {
    return TestBinaries.all();
  }

  /** Linked with -s -w: the stripped and distro variants. */
  static List<TestBinary> stripped() {
    return TestBinaries.where(TestBinary::isStripped);
  }

  static List<TestBinary> pie() {
    return TestBinaries.where(t -> t.variant().equals("pie"));
  }

  static List<TestBinary> extlink() {
    return TestBinaries.where(t -> t.variant().equals("extlink"));
  }

  /**
   * For every text symbol {@code go tool nm} lists under a name the pclntab also has, the entry
   * is the same; and every Go function the pclntab lists is known to nm (unless stripped).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void functionTableAgreesWithGoToolNm(TestBinary t) {
    GoBinary b = Oracles.open(t);
    assertEquals(t.arch(), b.arch().goArch());
    assertTrue(b.functions().size() > 1000, "functions: " + b.functions().size());
    Map<String, Set<Long>> nm = new HashMap<>();
    for (Oracles.NmSymbol s : Oracles.nm(t)) {
      if (s.type() == 'T' || s.type() == 't') {
        // Since Go 1.17 assembly (ABI0) functions carry a ".abi0" suffix in the ELF symbol table
        // but not in the pclntab.
        String name = s.name().endsWith(".abi0") ? s.name().substring(0, s.name().length() - 5) : s.name();
        nm.computeIfAbsent(name, k -> new HashSet<>()).add(s.address());
      }
    }
    if (t.isStripped()) {
      assertTrue(nm.isEmpty(), "nm lists symbols of a stripped binary");
      assertTrue(b.isStripped());
      return;
    }
    assertFalse(b.isStripped());
    int compared = 0;
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<Long>> e : nm.entrySet()) {
      Set<Long> entries = b.functionsNamed(e.getKey()).stream().map(GoFunc::entry).collect(Collectors.toSet());
      if (!entries.isEmpty()) {
        compared++;
        if (!entries.containsAll(e.getValue())) {
          wrong.add(e.getKey() + " nm=" + e.getValue() + " pclntab=" + entries);
        }
      }
    }
    assertEquals(List.of(), wrong, "entries that disagree with nm");
    // The linker shortens some generated names in the pclntab ("type..eq.[...]T" for nm's
    // "type..eq.[15]T"); those cannot be compared by name.
    List<String> unknown = b.functions().stream().map(GoFunc::name)
        .filter(n -> !nm.containsKey(n) && !n.contains("[...]")).toList();
    assertTrue(unknown.size() <= b.functions().size() / 100, "pclntab functions nm does not know: " + unknown);
    assertTrue(compared > 1000, "compared " + compared);
    for (GoFunc f : b.functions()) {
      assertTrue(f.end() > f.entry() || f.end() == f.entry(), f.name());
      assertEquals(f, b.funcForPc(f.entry()).orElseThrow(), "lookup by entry of " + f.name());
    }
  }

  static List<TestBinary> strippedOrDistro() {
    return TestBinaries.where(TestBinary::isStripped);
  }

  /**
   * The function table, names and entries, is exactly the symbol table as that Go version's
   * {@code go tool nm} lists it (text symbols in [runtime.text, runtime.etext)): the binary's
   * own, or for a stripped or distro build its unstripped twin's, built from the same code with
   * symbols kept ({@link TestBinary#unstrippedTwinVariant()}; that distro's code lies where
   * extlink's does is checked instruction by instruction in ObjdumpOracleTest). Not Go's
   * debug/gosym or {@code go tool objdump}: they take the text start from {@code .text}, wrong
   * for externally linked builds.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void functionTableIsTheSymbolTable(TestBinary t) {
    TestBinary twin = t.isStripped() ? TestBinaries.twin(t) : t;
    GoBinary b = Oracles.open(t);
    assertEquals(t.isStripped(), b.isStripped());
    assertEquals(t.isStripped(), !b.hasDwarf());
    List<Oracles.NmSymbol> syms = Oracles.nm(twin);
    long text = Oracles.nmAddress(twin, "runtime.text");
    long etext = Oracles.nmAddress(twin, "runtime.etext");
    assertEquals(text, b.textStart(), "runtime.text");
    if (t.isExternallyLinked()) {
      assertTrue(b.textStart() > b.elf().section(".text").orElseThrow().addr(), "C code is linked first");
    }
    Set<String> nm = new TreeSet<>();
    for (Oracles.NmSymbol s : syms) {
      if ((s.type() == 'T' || s.type() == 't') && s.address() >= text && s.address() < etext
          && !s.name().equals("runtime.text")) { // the linker's marker, not a function
        nm.add(String.format("%x %s", s.address(), pclntabName(s.name(), t.goMinor())));
      }
    }
    Set<String> ours = new TreeSet<>();
    for (GoFunc f : b.functions()) {
      // cmd/link/internal/ld/symtab.go (putelfsym, every series of the matrix) rewrites "·" to
      // "." in ELF symbol names "for ASCII-only tools"; the pclntab keeps the Go name.
      ours.add(String.format("%x %s", f.entry(), f.name().replace('\u00b7', '.')));
    }
    Set<String> onlyNm = new TreeSet<>(nm);
    onlyNm.removeAll(ours);
    Set<String> onlyOurs = new TreeSet<>(ours);
    onlyOurs.removeAll(nm);
    assertEquals(List.of(), List.copyOf(onlyNm).subList(0, Math.min(20, onlyNm.size())),
        onlyNm.size() + " of nm's " + nm.size() + " functions missing or elsewhere in the table read without symbols");
    assertEquals(List.of(), List.copyOf(onlyOurs).subList(0, Math.min(20, onlyOurs.size())),
        onlyOurs.size() + " functions nm of " + twin + " does not have");
    assertTrue(ours.size() > 1000, "functions: " + ours.size());
  }

  /**
   * The pclntab's name of the function nm lists as {@code elfName}: since Go 1.17 assembly
   * (ABI0) functions carry a ".abi0" suffix in the ELF symbol table only; Go 1.18 to 1.21 write
   * a generic instantiation's outermost type arguments as "[...]" in the pclntab
   * (cmd/link/internal/ld/pcln.go, nameParts: in Go 1.19's, gone from Go 1.22's).
   */
  static String pclntabName(String elfName, int goMinor) {
    String name = elfName.endsWith(".abi0") ? elfName.substring(0, elfName.length() - 5) : elfName;
    int i = name.indexOf('[');
    int j = name.lastIndexOf(']');
    if (goMinor >= 18 && goMinor <= 21 && i >= 0 && j > i) {
      name = name.substring(0, i) + "[...]" + name.substring(j + 1);
    }
    return name;
  }

  /** Build info: version, module path and the settings each variant implies. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void buildInfoMatchesTheVariant(TestBinary t) {
    GoBinary b = Oracles.open(t);
    BuildInfo bi = b.buildInfo().orElseThrow();
    assertEquals(t.goVersion(), bi.goVersionText());
    assertEquals(t.goVersion(), b.goVersion().raw());
    assertTrue(b.goVersion().isExact());
    assertEquals(t.goMinor(), b.goVersion().minor());
    assertTrue(bi.path().endsWith("/" + t.program()), bi.path());
    assertTrue(bi.main().orElseThrow().path().endsWith("/" + t.program()));
    assertEquals(t.goMinor() >= 18 ? 1 : 0, b.pclntab().format().compareTo(dev.gotrace.goelf.pclntab.PclntabFormat.GO118) >= 0 ? 1 : 0);
    assertTrue(b.goVersion().atLeast(1, b.pclntab().format().fromMinor()));
    assertEquals(t.variant().equals("pie"), b.isPie());
    if (t.goMinor() < 18) {
      assertTrue(bi.settings().isEmpty(), "Go before 1.18 records no build settings");
      return;
    }
    assertEquals(t.arch(), bi.setting("GOARCH").orElseThrow());
    assertEquals(t.isTrimpath(), bi.flag("-trimpath"));
    assertEquals(t.isCgo() ? "1" : "0", bi.setting("CGO_ENABLED").orElseThrow());
    if (t.goMinor() >= 20) { // -buildmode is recorded from Go 1.20
      assertEquals(t.variant().equals("pie") ? "pie" : "exe", bi.setting("-buildmode").orElseThrow());
    }
    // build.sh's -ldflags per variant. cmd/go records none under -trimpath (go.dev/issue/52372:
    // they may hold system paths; cmd/go/internal/load/pkg.go), nor CGO_CFLAGS and the like, so
    // what distro's "-linkmode=external -s -w" did is read from the binary instead.
    Optional<String> ldflags = switch (t.variant()) {
      case "stripped" -> Optional.of("-s -w");
      case "extlink" -> Optional.of("-linkmode=external");
      default -> Optional.empty();
    };
    assertEquals(ldflags, bi.setting("-ldflags"));
    assertEquals(t.isCgo() && !t.isTrimpath(), bi.setting("CGO_CFLAGS").isPresent());
    if (t.variant().equals("distro")) {
      assertTrue(b.isExternallyLinked(), "-linkmode=external");
      assertTrue(b.isStripped(), "-s");
      assertFalse(b.hasDwarf(), "-w");
    }
  }

  /** file:line of runtime functions and of the test program's own functions, read from its source. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void sourcePositions(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    GoFunc rtMain = b.function("runtime.main").orElseThrow();
    assertTrue(rtMain.file().endsWith("runtime/proc.go"), rtMain.file());
    assertEquals(t.isTrimpath(), rtMain.file().equals("runtime/proc.go"));
    assertEquals(rtMain.file(), b.sourcePos(rtMain.entry()).orElseThrow().file());
    GoFunc main = b.function("main.main").orElseThrow();
    assertTrue(main.file().endsWith("/main.go"), main.file());
    SourcePos mid = b.sourcePos(main.entry() + main.size() / 2).orElseThrow();
    assertTrue(mid.line() > 0);
    // Oracle: the source file the binary names, read from testdata/go/ of this checkout.
    assertEquals(t.isTrimpath(), main.file().startsWith(modulePath(t) + "/"), main.file());
    java.nio.file.Path src = sourceFile(t, main.file());
    List<String> lines = java.nio.file.Files.readAllLines(src);
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      var m = java.util.regex.Pattern.compile("^func ([A-Za-z_][A-Za-z0-9_]*)\\(").matcher(lines.get(i));
      if (m.find()) {
        var f = b.function("main." + m.group(1));
        if (f.isPresent()) {
          int decl = i + 1;
          if (t.goMinor() >= 20) {
            assertEquals(decl, f.get().declLine(), "declaration line of main." + m.group(1));
          }
          // Without a stack check the entry instruction is the first statement's, or one of
          // a call inlined there (main.inlineUser starts inside main.add).
          long entry = f.get().entry();
          boolean inlinedAtEntry = b.inlineTree(f.get()).stream()
              .anyMatch(c -> c.ranges().stream().anyMatch(r -> r.contains(entry)));
          assertTrue(inlinedAtEntry || f.get().line() >= decl && f.get().line() <= decl + 3,
              "entry line " + f.get().line() + " of main." + m.group(1) + " declared at " + decl);
          assertEquals(f.get().line(), b.sourcePos(entry).orElseThrow().line());
          assertEquals(main.file(), f.get().file());
          checked++;
        }
      }
    }
    assertTrue(checked >= 1, "no function of " + src + " found");
  }

  /** The module build.sh gives a test program: {@code gotrace.dev/testdata/server}. */
  static String modulePath(TestBinary t) {
    return "gotrace.dev/testdata/" + t.program();
  }

  /**
   * The checkout's copy of the source file {@code file} the binary names, once its stamp proves
   * it was built from the checkout's testdata/go: build.sh builds in
   * {@code $GOTRACE_CACHE/stage/go1.X/PROGRAM/} (overwritten by the next build, perhaps of other
   * sources), which -trimpath turns into {@code gotrace.dev/testdata/PROGRAM/}.
   */
  static java.nio.file.Path sourceFile(TestBinary t, String file) {
    String trimmed = modulePath(t) + "/";
    String staged = "/stage/" + t.series() + "/" + t.program() + "/";
    int at = file.indexOf(staged);
    if (file.startsWith(trimmed)) {
      return TestBinaries.sourcesOf(t).resolve(file.substring(trimmed.length()));
    }
    if (at >= 0) {
      return TestBinaries.sourcesOf(t).resolve(file.substring(at + staged.length()));
    }
    throw new AssertionError(t + " names " + file + ", neither staged by build.sh nor trimmed to " + trimmed);
  }

  /** Externally linked: runtime.text is not the start of .text, and entries still match nm. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("extlink")
  void externalLinkTextStart(TestBinary t) {
    GoBinary b = Oracles.open(t);
    Section text = b.elf().section(".text").orElseThrow();
    assertNotEquals(text.addr(), b.textStart(), "C code is linked first");
    assertTrue(b.textStart() > text.addr());
    assertTrue(b.isExternallyLinked());
    long nmText = Oracles.nm(t).stream().filter(s -> s.name().equals("runtime.text")).findFirst().orElseThrow().address();
    assertEquals(nmText, b.textStart());
    functionTableAgreesWithGoToolNm(t);
  }

  /** PIE: the bytes at fileOffset(entry) are the bytes objdump shows at that address. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pie")
  void pieFileOffsets(TestBinary t) throws GoBinaryException {
    GoBinary b = Oracles.open(t);
    assertTrue(b.isPie());
    for (String name : List.of("runtime.main", "main.main")) {
      GoFunc f = b.function(name).orElseThrow();
      long off = b.fileOffset(f.entry()).orElseThrow();
      byte[] fromFile = b.elf().bytes().bytesAt(off, 32);
      assertArrayEquals(fromFile, b.readAt(f.entry(), 32));
      assertArrayEquals(Oracles.objdumpBytes(t.path(), f.entry(), 32), fromFile, name);
    }
  }

  /** Inline trees decode for every function; ranges lie inside their function; call sites are named. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void inlineTrees(TestBinary t) throws GoBinaryException {
    GoBinary b = Oracles.open(t);
    int calls = 0;
    Set<String> callees = new HashSet<>();
    for (GoFunc f : b.functions()) {
      for (var c : b.inlineTree(f)) {
        calls++;
        callees.add(c.function());
        assertFalse(c.function().isEmpty());
        assertTrue(c.callSite().isPresent(), c::toString);
        assertTrue(c.callSite().get().line() > 0, c::toString);
        assertFalse(c.ranges().isEmpty(), c::toString);
        c.ranges().forEach(r -> assertTrue(f.contains(r.start()) && r.end() <= f.end(), c::toString));
        assertTrue(f.contains(c.parentPc()), c::toString);
      }
    }
    assertTrue(calls > 100, "inlined calls: " + calls);
    // Oracle for call trees: the PCs of a leaf inlined copy are in the source file of the
    // inlined function, as its standalone body (when it has one) says.
    Map<String, String> fileOf = b.functions().stream()
        .collect(Collectors.toMap(GoFunc::name, GoFunc::file, (x, y) -> x));
    // The compiler may give an instruction of an inlined body its caller's position (Go 1.15
    // does for os.(*File).Close in io/ioutil.ReadDir), so a few leaves may disagree.
    int checked = 0;
    List<String> disagree = new ArrayList<>();
    for (GoFunc f : b.functions()) {
      List<dev.gotrace.goelf.pclntab.InlinedCall> tree = b.inlineTree(f);
      for (var c : tree) {
        boolean leaf = tree.stream().noneMatch(o -> o.parent() == c.index());
        String want = fileOf.getOrDefault(c.function(), "");
        if (leaf && !want.isEmpty() && checked < 400) {
          boolean any = false;
          for (var r : c.ranges()) {
            any |= want.equals(b.sourcePos(r.start()).orElseThrow().file());
          }
          if (!any) {
            disagree.add(c.toString());
          }
          checked++;
        }
      }
    }
    assertTrue(disagree.size() <= Math.max(1, checked / 100), "leaf copies in the wrong file: " + disagree);
    assertTrue(checked > 20, "checked " + checked);
    assertFalse(b.inlinedCopies(callees.iterator().next()).isEmpty());
  }

  static List<TestBinary> workloads() {
    return TestBinaries.where(t -> t.program().equals("workload"));
  }

  /** Name patterns over a real function table: receivers, closures, generic instantiations. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void namePatternsOverTheWorkload(TestBinary t) {
    GoBinary b = Oracles.open(t);
    List<String> main = b.functions(dev.gotrace.goelf.match.NamePattern.parse("main.*")).stream()
        .map(GoFunc::name).toList();
    assertTrue(main.containsAll(List.of("main.main", "main.(*Counter).Inc", "main.Point.Norm1",
        "main.makeAdder.func1")), main.toString());
    assertTrue(main.stream().allMatch(n -> n.startsWith("main.")));
    assertEquals(1, b.functions(dev.gotrace.goelf.match.NamePattern.parse("main.(*Counter).Inc")).size());
    if (t.goMinor() >= 18) {
      assertFalse(b.functions(dev.gotrace.goelf.match.NamePattern.parse("main.Map[...]")).isEmpty(), main.toString());
      assertEquals(b.functions(dev.gotrace.goelf.match.NamePattern.parse("main.Map[...]")),
          b.functions(dev.gotrace.goelf.match.NamePattern.parse("main.Map")));
    }
  }

  /**
   * The two ways to know where functions were inlined say the same: the names-only index read
   * for one function (what tracing uses) and the full read of every tree (what list uses).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void inlineIndexesAgree(TestBinary t) throws Exception {
    try (GoBinary lazy = GoBinary.open(t.path()); GoBinary full = GoBinary.open(t.path())) {
      full.readAllInlineTrees();
      List<String> names = lazy.inlinedFunctionNames();
      assertEquals(names, full.inlinedFunctionNames());
      assertTrue(names.contains("main.add"), names.toString());
      for (String n : names) {
        assertEquals(full.inlinedCopies(n), lazy.inlinedCopies(n), n);
      }
    }
  }

  /**
   * main.add is inlined into main.inlineUser twice ("return add(r, 1) + add(r, 2)"): the copies
   * name their caller and the call's line, read from the checkout's source of the binary.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void inlinedCopiesOfMainAdd(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    List<dev.gotrace.goelf.pclntab.InlinedCall> copies = b.inlinedCopies("main.add").stream()
        .filter(c -> c.outer().equals("main.inlineUser")).toList();
    assertEquals(2, copies.size(), copies.toString());
    GoFunc user = b.function("main.inlineUser").orElseThrow();
    for (var c : copies) {
      assertEquals("main.inlineUser", c.caller());
      assertEquals(-1, c.parent());
      assertEquals(user.file(), c.callSite().orElseThrow().file());
      for (var r : c.ranges()) {
        assertTrue(user.contains(r.start()) && r.end() <= user.end());
      }
      // Its first PC is add's own code (later ones may be main.(*counter).hit, inlined into add).
      String first = b.sourcePos(c.ranges().get(0).start()).orElseThrow().file();
      assertEquals(b.function("main.main").orElseThrow().file(), first);
    }
    java.nio.file.Path src = sourceFile(t, user.file());
    List<String> lines = java.nio.file.Files.readAllLines(src);
    int call = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("return add(r, 1) + add(r, 2)")) {
        call = i + 1;
      }
    }
    assertTrue(call > 0);
    for (var c : copies) {
      assertEquals(call, c.callSite().orElseThrow().line(), c::toString);
    }
  }
}
