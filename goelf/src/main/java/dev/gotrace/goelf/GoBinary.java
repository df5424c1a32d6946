package dev.gotrace.goelf;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.buildinfo.BuildInfo;
import dev.gotrace.goelf.buildinfo.BuildInfoReader;
import dev.gotrace.goelf.dwarf.DwarfSections;
import dev.gotrace.goelf.dwarf.DwarfUnits;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.KnownGLayouts;
import dev.gotrace.goelf.dwarf.PackageVariable;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.ElfSymbol;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.goelf.io.ByteCursor;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.moduledata.ModuleData;
import dev.gotrace.goelf.moduledata.ModuleDataFinder;
import dev.gotrace.goelf.moduledata.ModuleLayout;
import dev.gotrace.goelf.moduledata.RuntimeText;
import dev.gotrace.goelf.pclntab.ArgInfo;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlineTreeReader;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.pclntab.Pclntab;
import dev.gotrace.goelf.pclntab.PclntabLocator;
import dev.gotrace.goelf.pclntab.SourcePos;
import dev.gotrace.goelf.rtype.Derivation;
import dev.gotrace.goelf.rtype.FunctionBytes;
import dev.gotrace.goelf.rtype.GLayoutAnswer;
import dev.gotrace.goelf.rtype.GLayoutDeriver;
import dev.gotrace.goelf.rtype.GLayoutPolicy;
import dev.gotrace.goelf.rtype.TypesRange;
import dev.gotrace.goelf.sites.FunctionCode;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.goelf.sites.MemoryReader;
import dev.gotrace.goelf.sites.SiteAnalyzer;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.goelf.work.Ordered;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Go binary, read: ELF, build info, Go version, pclntab. The entry point of the goelf module.
 * Everything is read at {@link #open} except inline trees and section contents, which are read
 * on first use. Every method fails only with one of the four {@link GoBinaryException} kinds.
 */
public final class GoBinary implements AutoCloseable {
  /** Larger than any runtime function gotrace decodes to find runtime.g's layout. */
  private static final long MAX_FUNCTION_BYTES = 1 << 16;

  private final Path path;
  private final ElfFile elf;
  private final Optional<BuildInfo> buildInfo;
  private final GoVersion version;
  private final Pclntab pclntab;
  private final PclntabLocator.Source pclntabSource;
  private final RuntimeText runtimeText;
  private Optional<ModuleData> moduleData;
  private String moduleDataProblem;
  private OptionalLong gofunc;
  private InlineTreeReader inlineReader;
  private final Map<Long, List<InlinedCall>> inlineCache = new HashMap<>();
  private volatile Map<String, List<InlinedCall>> inlinedByCallee;
  private volatile Map<String, int[]> inlineHosts;
  private List<String> inlinedNames; // written before inlineHosts or inlinedByCallee is published
  private SiteAnalyzer siteAnalyzer;
  private final Map<Long, FunctionSites> traced = new ConcurrentHashMap<>();
  private Optional<DwarfLoader.Loaded> dwarf; // guarded by dwarfLock
  private final Object dwarfLock = new Object();
  private String dwarfProblem; // guarded by dwarfLock
  private GLayoutAnswer gLayout;

  private GoBinary(Path path, ElfFile elf) throws GoBinaryException {
    this.path = path;
    this.elf = elf;
    this.buildInfo = Guard.stage(path, ".go.buildinfo", () -> BuildInfoReader.read(elf));
    Optional<GoVersion> stated = Guard.stage(path, "Go version", this::statedVersion);
    this.runtimeText = new RuntimeText(elf, stated.orElse(GoVersion.range(2, Integer.MAX_VALUE,
        "no version string")));
    Optional<PclntabLocator.Found> found = Guard.stage(path, ".gopclntab", () -> PclntabLocator.find(elf, runtimeText));
    if (found.isEmpty()) {
      if (buildInfo.isPresent()) {
        throw new CorruptBinaryException(path, ".gopclntab", 0, "the binary has Go build info but no pclntab was found");
      }
      throw new NotGoException(path, "no Go pclntab or build info: not a Go program");
    }
    this.pclntab = found.get().table();
    this.pclntabSource = found.get().source();
    this.version = stated.orElseGet(() -> GoVersion.range(pclntab.format().fromMinor(), pclntab.format().upToMinor(),
        "inferred from " + pclntab.format()));
    if (version.minorKnown() && !version.atLeast(1, SupportedGo.OLDEST_MINOR)) {
      throw new UnsupportedGoException(path, "built with " + version + "; gotrace reads " + SupportedGo.statement());
    }
  }

  /** Opens and reads {@code path}. */
  public static GoBinary open(Path path) throws GoBinaryException {
    return Guard.stage(path, "file", () -> new GoBinary(path, ElfFile.open(path)));
  }

  /** Reads a binary already in memory (tests, fuzzing); {@code name} is used in messages. */
  public static GoBinary of(byte[] image, Path name) throws GoBinaryException {
    return Guard.stage(name, "file", () -> new GoBinary(name, ElfFile.of(image, name)));
  }

  /** The version the binary states: its build info, or before build info (Go 1.13) runtime.buildVersion. */
  private Optional<GoVersion> statedVersion() throws GoBinaryException {
    if (buildInfo.isPresent() && buildInfo.get().goVersion().isPresent()) {
      return buildInfo.get().goVersion();
    }
    Optional<ElfSymbol> bv = elf.symbols().lookup("runtime.buildVersion");
    if (bv.isPresent()) {
      int w = elf.arch().ptrSize();
      long data = elf.pointerAt(bv.get().value());
      long len = elf.cursorAt(bv.get().value() + w, w, "runtime.buildVersion").wordAt(0, w);
      if (len > 0 && len < 256) {
        String s = new String(elf.readAt(data, (int) len), StandardCharsets.UTF_8);
        return GoVersion.parse(s);
      }
    }
    return Optional.empty();
  }

  public Path path() {
    return path;
  }

  public ElfFile elf() {
    return elf;
  }

  public Arch arch() {
    return elf.arch();
  }

  public Optional<BuildInfo> buildInfo() {
    return buildInfo;
  }

  /** The Go version: exact from build info or runtime.buildVersion, else a range from the pclntab format. */
  public GoVersion goVersion() {
    return version;
  }

  public Pclntab pclntab() {
    return pclntab;
  }

  /** How the pclntab was found: its section, the runtime.pclntab symbols, or a scan. */
  public PclntabLocator.Source pclntabSource() {
    return pclntabSource;
  }

  /** runtime.text: where function entries are counted from (differs from .text with cgo first). */
  public long textStart() {
    return pclntab.textStart();
  }

  /** Every function of the pclntab, sorted by entry. */
  public List<GoFunc> functions() {
    return pclntab.functions();
  }

  /** The functions whose names match {@code pattern}, sorted by entry. */
  public List<GoFunc> functions(NamePattern pattern) {
    return pclntab.functions().stream().filter(f -> pattern.matches(f.name())).toList();
  }

  /** A function by exact full name. */
  public Optional<GoFunc> function(String name) {
    return pclntab.lookup(name);
  }

  /** Every function with this exact name (assembly functions may also have an ABI wrapper). */
  public List<GoFunc> functionsNamed(String name) {
    return pclntab.lookupAll(name);
  }

  /** The function containing {@code pc}. */
  public Optional<GoFunc> funcForPc(long pc) {
    return pclntab.funcForPc(pc);
  }

  /** file:line of the instruction at {@code pc} (the innermost inlined position). */
  public Optional<SourcePos> sourcePos(long pc) throws GoBinaryException {
    return Guard.stage(path, ".gopclntab", () -> pclntab.sourcePos(pc));
  }

  /** The calls inlined into {@code f} (its inline tree), with their PC ranges and call sites. */
  public synchronized List<InlinedCall> inlineTree(GoFunc f) throws GoBinaryException {
    List<InlinedCall> cached = inlineCache.get(f.funcOffset());
    if (cached != null) {
      return cached;
    }
    List<InlinedCall> calls = Guard.stage(path, ".gopclntab inline tree", () -> inlineReader().read(f));
    inlineCache.put(f.funcOffset(), calls);
    return calls;
  }

  /**
   * Every place where the function named {@code name} was inlined, across all functions, in
   * function-table order: looked up in the index of {@link #readAllInlineTrees} when it was
   * read, else read from the trees of the functions that hold a copy.
   */
  public List<InlinedCall> inlinedCopies(String name) throws GoBinaryException {
    Map<String, List<InlinedCall>> all = inlinedByCallee;
    if (all != null) {
      return all.getOrDefault(name, List.of());
    }
    int[] hosts = inlineHosts().get(name);
    if (hosts == null) {
      return List.of();
    }
    List<GoFunc> funcs = pclntab.functions();
    List<InlinedCall> out = new ArrayList<>();
    for (int i : hosts) {
      for (InlinedCall c : inlineTree(funcs.get(i))) {
        if (c.function().equals(name)) {
          out.add(c);
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The names of all functions inlined somewhere, including those that have no code of their
   * own (every call was inlined and the linker dropped the body), sorted.
   */
  public List<String> inlinedFunctionNames() throws GoBinaryException {
    if (inlinedByCallee == null) { // both indexes publish inlinedNames before themselves
      inlineHosts();
    }
    return inlinedNames;
  }

  /**
   * Which functions' inline trees hold a copy of each inlined function (ascending function-table
   * indexes), from every tree's entry names alone, read once on all cores.
   */
  private Map<String, int[]> inlineHosts() throws GoBinaryException {
    Map<String, int[]> m = inlineHosts;
    if (m != null) {
      return m;
    }
    synchronized (this) {
      if (inlineHosts == null) {
        InlineTreeReader reader = inlineReader();
        Map<String, int[]> hosts = new HashMap<>();
        int[] index = {0};
        Ordered.map(pclntab.functions(),
            f -> Guard.stage(path, ".gopclntab inline tree", () -> reader.calleeNames(f)),
            names -> {
              int i = index[0]++;
              for (String n : names) {
                addHost(hosts, n, i);
              }
            }, GoBinaryException.class);
        inlinedNames = hosts.keySet().stream().sorted().toList();
        inlineHosts = hosts;
      }
      return inlineHosts;
    }
  }

  /** Adds function {@code i} to the hosts of {@code callee}, once (functions come in ascending order). */
  private static void addHost(Map<String, int[]> hosts, String callee, int i) {
    int[] h = hosts.get(callee);
    if (h == null) {
      hosts.put(callee, new int[] {i});
    } else if (h[h.length - 1] != i) {
      int[] g = Arrays.copyOf(h, h.length + 1);
      g[h.length] = i;
      hosts.put(callee, g);
    }
  }

  /**
   * Reads every function's inline tree now, on all cores, so that {@link #inlinedCopies} is a
   * lookup for any name (what listing every function needs); the trees are then not kept per
   * function as well.
   */
  public void readAllInlineTrees() throws GoBinaryException {
    if (inlinedByCallee != null) {
      return;
    }
    synchronized (this) {
      if (inlinedByCallee == null) {
        InlineTreeReader reader = inlineReader();
        Map<String, List<InlinedCall>> byCallee = new HashMap<>();
        Ordered.map(pclntab.functions(),
            f -> Guard.stage(path, ".gopclntab inline tree", () -> reader.read(f)),
            calls -> {
              for (InlinedCall c : calls) {
                byCallee.computeIfAbsent(c.function(), k -> new ArrayList<>()).add(c);
              }
            }, GoBinaryException.class);
        byCallee.replaceAll((k, v) -> List.copyOf(v));
        if (inlineHosts == null) {
          inlinedNames = byCallee.keySet().stream().sorted().toList();
        }
        inlinedByCallee = Map.copyOf(byCallee);
      }
    }
  }

  private InlineTreeReader inlineReader() throws GoBinaryException {
    if (inlineReader == null) {
      gofunc = Guard.stage(path, "runtime.firstmoduledata", this::findGofunc);
      inlineReader = new InlineTreeReader(pclntab, elf::cursorAt, gofunc);
    }
    return inlineReader;
  }

  /**
   * moduledata.gofunc, which must equal the {@code go:func.*} symbol where there is one; the
   * symbol alone when no module data is proven; refused when neither exists.
   */
  private OptionalLong findGofunc() throws GoBinaryException {
    if (!pclntab.format().funcdataAreGofuncOffsets()) {
      return OptionalLong.empty();
    }
    Optional<ElfSymbol> sym = elf.symbols().lookup("go:func.*");
    if (sym.isEmpty()) {
      sym = elf.symbols().lookup("go.func.*"); // the name before Go 1.20
    }
    Optional<ModuleData> md = moduleData();
    if (md.isPresent()) {
      long g = md.get().gofunc().orElseThrow();
      if (sym.isPresent() && sym.get().value() != g) {
        throw new CorruptBinaryException(path, "runtime.firstmoduledata", md.get().address(), String.format(
            "moduledata.gofunc 0x%x disagrees with the symbol %s 0x%x", g, sym.get().name(), sym.get().value()));
      }
      return OptionalLong.of(g);
    }
    if (sym.isPresent()) {
      return OptionalLong.of(sym.get().value());
    }
    throw new CorruptBinaryException(path, "runtime.firstmoduledata", 0,
        "funcdata (inline trees) are offsets from moduledata.gofunc, which is unknown: " + moduleDataProblem);
  }

  /** FUNCDATA_ArgInfo: written by Go 1.17 and later (index 5 was FUNCDATA_OpenCodedDeferInfo before). */
  private static final int FUNCDATA_ARG_INFO = 5;

  /**
   * {@code f}'s argument info, what Go's tracebacks print of its arguments (see {@link ArgInfo});
   * empty when it has none: a function without parameters, assembly, or a Go older than 1.17.
   */
  public Optional<ArgInfo> argInfo(GoFunc f) throws GoBinaryException {
    if (!version.atLeast(1, 17)) {
      return Optional.empty();
    }
    OptionalLong at = Guard.stage(path, ".gopclntab funcdata", () -> pclntab.funcdataAddress(f, FUNCDATA_ARG_INFO, gofunc()));
    if (at.isEmpty()) {
      return Optional.empty();
    }
    long a = at.getAsLong();
    String name = "argument info of " + f.name();
    return Optional.of(ArgInfo.decode(i -> elf.cursorAt(a + i, 1, name).u8At(0), path, a, name));
  }

  /** moduledata.gofunc (Go 1.18+), the base of funcdata offsets; empty for older formats. */
  public synchronized OptionalLong gofunc() throws GoBinaryException {
    inlineReader();
    return gofunc;
  }

  /**
   * {@code runtime.firstmoduledata}, found and proven against the pclntab (see the {@code
   * moduledata} package); empty when no place passes the proof, which for Go 1.26+ cannot happen
   * in an opened binary (it is where runtime.text comes from).
   */
  public synchronized Optional<ModuleData> moduleData() throws GoBinaryException {
    if (moduleData == null) {
      Optional<ModuleData> m = runtimeText.moduleData();
      if (m.isPresent()) {
        moduleData = m;
      } else {
        ModuleDataFinder.Result r = Guard.stage(path, "runtime.firstmoduledata", () -> ModuleDataFinder.find(elf,
            pclntab.header(), ModuleLayout.candidates(pclntab.format(), version)));
        if (r instanceof ModuleDataFinder.Found f) {
          moduleData = Optional.of(f.data());
        } else {
          moduleData = Optional.empty();
          moduleDataProblem = ((ModuleDataFinder.NotFound) r).why();
        }
      }
    }
    return moduleData;
  }

  /** Why {@link #moduleData()} is empty; empty when it is not. */
  public synchronized Optional<String> moduleDataProblem() throws GoBinaryException {
    moduleData();
    return Optional.ofNullable(moduleDataProblem);
  }

  /** The file offset of virtual address {@code vaddr} (through its PT_LOAD segment). */
  public OptionalLong fileOffset(long vaddr) {
    Optional<Long> o = elf.fileOffset(vaddr);
    return o.isPresent() ? OptionalLong.of(o.get()) : OptionalLong.empty();
  }

  /** {@code n} bytes of the loaded image at link-time address {@code vaddr}. */
  public byte[] readAt(long vaddr, int n) throws GoBinaryException {
    return Guard.stage(path, "image", () -> elf.readAt(vaddr, n));
  }

  /** A section's bytes by name, decompressed when compressed; empty when absent. */
  public Optional<ByteCursor> section(String name) throws GoBinaryException {
    Optional<Section> s = elf.section(name);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Guard.stage(path, name, () -> elf.sectionData(s.get())));
  }

  /**
   * Where probes may go in {@code f}: the first instruction after its stack-check prologue and
   * every exit instruction, from a linear decode of its machine code. A function whose bytes do
   * not decode exactly is reported {@link dev.gotrace.goelf.sites.SiteStatus#UNDECODABLE}.
   */
  public FunctionSites sites(GoFunc f) throws GoBinaryException {
    return Guard.stage(path, "machine code of " + f.name(), () -> {
      byte[] code = elf.readAt(f.entry(), Math.toIntExact(f.end() - f.entry()));
      return siteAnalyzer().analyze(new FunctionCode(f.name(), f.entry(), f.end(), code));
    });
  }

  /**
   * {@link #sites}, decoded once per function and kept: for the functions a trace probes, whose
   * decode the planners (entries, exits, g access) and the last check before attach all read.
   * Listing every function of a large binary ({@code list --sites}) uses {@link #sites}, which
   * keeps nothing. Thread-safe: functions may be decoded in parallel.
   */
  public FunctionSites tracedSites(GoFunc f) throws GoBinaryException {
    FunctionSites s = traced.get(f.funcOffset());
    if (s == null) {
      s = sites(f);
      FunctionSites raced = traced.putIfAbsent(f.funcOffset(), s);
      s = raced == null ? s : raced;
    }
    return s;
  }

  private synchronized SiteAnalyzer siteAnalyzer() {
    if (siteAnalyzer == null) {
      siteAnalyzer = new SiteAnalyzer(arch(), new MemoryReader() {
        @Override
        public long readWord(long vaddr, int size) throws CorruptBinaryException {
          return elf.cursorAt(vaddr, size, "image").wordAt(0, size);
        }

        @Override
        public byte[] read(long vaddr, int n) throws CorruptBinaryException {
          return elf.readAt(vaddr, n);
        }
      });
    }
    return siteAnalyzer;
  }

  /** Position-independent: ELF type ET_DYN (Go's -buildmode=pie, or a shared object). */
  public boolean isPie() {
    return elf.type() == ElfFile.ET_DYN;
  }

  /** No {@code .symtab}: linked with {@code -s} or run through strip. */
  public boolean isStripped() {
    return elf.section(".symtab").isEmpty();
  }

  /** A {@code .debug_info} or {@code .zdebug_info} section is present in the binary itself. */
  public boolean hasDwarf() {
    return DwarfLoader.has(elf);
  }

  /**
   * The binary's DWARF (parameters and their Go types, the {@code runtime.g} layout), every unit
   * of it, read on first use: from its own sections, else from a separate debug file under
   * {@code /usr/lib/debug} found by build-id or {@code .gnu_debuglink}. Empty when neither
   * exists (stripped binaries), or when it cannot be read ({@link #dwarfProblem} says why).
   * {@link #dwarfFor} reads only what some code needs.
   */
  public Optional<GoDwarf> dwarf() throws GoBinaryException {
    Optional<DwarfUnits> u = dwarfUnits();
    return u.isEmpty() ? Optional.empty() : readable(() -> u.get().all());
  }

  /** The package paths DWARF has units for ("main", "net/http"); empty without DWARF. */
  public List<String> packagePaths() throws GoBinaryException {
    Optional<DwarfUnits> u = dwarfUnits();
    return u.isEmpty() ? List.of() : u.get().packagePaths();
  }

  /**
   * The package-level variables of package {@code path}, from DWARF (names and types), each
   * address cross-checked with the symbol table: where both give one they must agree, else the
   * binary is corrupt; where DWARF gives none the symbol's is used. Empty without DWARF.
   */
  public List<PackageVariable> packageVariables(String path) throws GoBinaryException {
    Optional<DwarfUnits> u = dwarfUnits();
    if (u.isEmpty()) {
      return List.of();
    }
    List<PackageVariable> vars = Guard.stage(this.path, "DWARF", () -> u.get().packageVariables(path));
    List<PackageVariable> out = new ArrayList<>(vars.size());
    for (PackageVariable v : vars) {
      Optional<ElfSymbol> sym = elf.symbols().lookup(v.name()).filter(x -> !x.isFunction());
      if (v.address().isPresent() && sym.isPresent() && sym.get().value() != v.address().getAsLong()) {
        throw new CorruptBinaryException(this.path, ".debug_info", v.die(), v.name() + " is at 0x"
            + Long.toHexString(v.address().getAsLong()) + " in DWARF but at 0x" + Long.toHexString(sym.get().value())
            + " in the symbol table");
      }
      out.add(v.address().isPresent() || sym.isEmpty() ? v
          : new PackageVariable(v.name(), OptionalLong.of(sym.get().value()), v.type(), v.die()));
    }
    return out;
  }

  /**
   * The binary's DWARF as far as it describes the code at {@code pcs} (the functions there, their
   * parameters and types, the copies inlined into them) and every Go type: a view that
   * read only the units of that code, the runtime's units (every Go type), and those they refer to.
   */
  public Optional<GoDwarf> dwarfFor(Collection<Long> pcs) throws GoBinaryException {
    Optional<DwarfUnits> u = dwarfUnits();
    return u.isEmpty() ? Optional.empty() : readable(() -> u.get().covering(pcs));
  }

  /**
   * Why the DWARF this binary has could not be read ("decoding .debug_info at 0x1a2b: ..."), once
   * {@link #dwarf()} or {@link #dwarfFor} met the damage; empty while it reads fine. DWARF is an
   * addition to pclntab, never needed for names, sites or goroutine ids, so damaged DWARF is
   * treated as absent (those methods return empty) and the reason is kept here for a note.
   */
  public Optional<String> dwarfProblem() {
    synchronized (dwarfLock) {
      return Optional.ofNullable(dwarfProblem);
    }
  }

  /**
   * Reads the DWARF's sections and its index of units (not every unit) and says why they cannot
   * be read, if so: what {@code gotrace info} shows. Damage inside a unit the index does not read
   * shows only when some code reads that unit.
   */
  public Optional<String> checkDwarf() throws GoBinaryException {
    dwarfUnits();
    return dwarfProblem();
  }

  /** Its own lock, not this binary's: DWARF is read while other threads read pclntab and code. */
  private Optional<DwarfUnits> dwarfUnits() throws GoBinaryException {
    synchronized (dwarfLock) {
      if (dwarf == null) {
        try {
          dwarf = Guard.stage(path, "DWARF", () -> DwarfLoader.load(path, elf));
        } catch (CorruptBinaryException e) {
          dwarf = Optional.empty();
          dwarfProblem = problem(e);
        }
      }
      return dwarfProblem != null ? Optional.empty() : dwarf.map(DwarfLoader.Loaded::units);
    }
  }

  /** A read of the DWARF, or empty (and {@link #dwarfProblem} set) when the DWARF is damaged. */
  private Optional<GoDwarf> readable(Guard.Body<GoDwarf> read) throws GoBinaryException {
    try {
      return Optional.of(Guard.stage(path, "DWARF", read));
    } catch (CorruptBinaryException e) {
      synchronized (dwarfLock) {
        if (dwarfProblem == null) {
          dwarfProblem = problem(e);
        }
      }
      return Optional.empty();
    }
  }

  /** The message of a DWARF failure without the file name, the wrapper of an unreadable section unwrapped. */
  private static String problem(CorruptBinaryException e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      if (c.getCause() instanceof DwarfSections.Unreadable u) {
        return u.corrupt().getMessage();
      }
      c = c.getCause();
    }
    return e.getMessage();
  }

  /**
   * Offsets in {@code runtime.g}, with how they are known, or why gotrace refuses to say: from
   * DWARF when the binary (or its debug file) has it, else read from runtime.g's type descriptor
   * ({@link GLayoutDeriver}) and, when the per-version {@link KnownGLayouts table} knows this
   * version, equal to its row (see {@link GLayoutPolicy}). Computed once.
   */
  public GLayoutAnswer gLayout() throws GoBinaryException {
    synchronized (this) {
      if (gLayout != null) {
        return gLayout;
      }
    }
    // Found without holding this binary's lock, so that a planner can have it read (DWARF) on
    // one core while it reads pclntab and machine code on the other; the answer is the same
    // whichever thread computes it first.
    Optional<GLayout> fromDwarf = dwarfFor(List.of()).flatMap(GoDwarf::gLayout);
    GLayoutAnswer a = Guard.stage(path, "runtime.g type descriptor", () -> GLayoutPolicy.decide(fromDwarf,
        this::deriveGLayout, KnownGLayouts.forVersion(version, arch()), version));
    synchronized (this) {
      if (gLayout == null) {
        gLayout = a;
      }
      return gLayout;
    }
  }

  /** runtime.g's layout read from the binary's code and type descriptors alone, ignoring DWARF. */
  public Derivation deriveGLayout() throws GoBinaryException {
    return Guard.stage(path, "runtime.g type descriptor", () -> {
      Optional<ModuleData> md = moduleData();
      if (md.isEmpty()) {
        return new Derivation.NotDerived("moduledata.types is unknown: "
            + moduleDataProblem().orElse("no module data"));
      }
      TypesRange range = new TypesRange(md.get().types(), md.get().etypes());
      Optional<ElfSymbol> types = elf.symbols().lookup("runtime.types");
      Optional<ElfSymbol> etypes = elf.symbols().lookup("runtime.etypes");
      if (types.isPresent() && etypes.isPresent()
          && (types.get().value() != range.types() || etypes.get().value() != range.etypes())) {
        return new Derivation.NotDerived("moduledata.types " + range + " disagrees with the symbols runtime.types/etypes "
            + new TypesRange(types.get().value(), etypes.get().value()));
      }
      return new GLayoutDeriver(elf, version, this::functionBytes).derive(range);
    });
  }

  private Optional<FunctionBytes> functionBytes(String name) throws GoBinaryException {
    Optional<GoFunc> f = pclntab.lookup(name);
    if (f.isEmpty() || f.get().end() - f.get().entry() > MAX_FUNCTION_BYTES || f.get().end() <= f.get().entry()) {
      return Optional.empty();
    }
    return Optional.of(new FunctionBytes(name, f.get().entry(),
        elf.readAt(f.get().entry(), (int) (f.get().end() - f.get().entry()))));
  }

  /** The separate debug file the DWARF came from, when it did not come from the binary. */
  public Optional<Path> debugFile() throws GoBinaryException {
    dwarfUnits();
    synchronized (dwarfLock) {
      return dwarf.flatMap(DwarfLoader.Loaded::debugFile).map(ElfFile::path);
    }
  }

  /**
   * Whether an external linker (gcc/clang via ld) linked the binary. Heuristic, strongest
   * evidence first: build setting {@code -ldflags} contains {@code -linkmode=external} or
   * {@code -linkmode external}; else Go 1.18+'s runtime.text differs from the start of
   * {@code .text} (C start-up code placed first); else the binary has a program interpreter and
   * sections only C toolchains produce ({@code .init} or {@code .eh_frame_hdr}); Go's internal
   * linker writes neither.
   */
  public boolean isExternallyLinked() {
    Optional<String> ldflags = buildInfo.flatMap(b -> b.setting("-ldflags"));
    if (ldflags.isPresent() && ldflags.get().matches("(?s).*-linkmode[= ]external.*")) {
      return true;
    }
    Optional<Section> text = elf.section(".text");
    if (pclntab.format().entriesAreTextOffsets() && text.isPresent() && text.get().addr() != pclntab.textStart()) {
      return true;
    }
    boolean interp = elf.hasSegment(Segment.PT_INTERP);
    return interp && (elf.section(".init").isPresent() || elf.section(".eh_frame_hdr").isPresent());
  }

  @Override
  public void close() {
    elf.close();
    synchronized (dwarfLock) {
      if (dwarf != null) {
        dwarf.flatMap(DwarfLoader.Loaded::debugFile).ifPresent(ElfFile::close);
      }
    }
    synchronized (this) {
      inlineCache.clear();
      traced.clear();
      inlinedByCallee = null;
      inlineHosts = null;
    }
  }

  @Override
  public String toString() {
    return path + " (" + version + ", " + arch().goArch() + ", " + pclntab.functions().size() + " functions)";
  }
}
