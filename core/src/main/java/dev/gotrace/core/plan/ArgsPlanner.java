package dev.gotrace.core.plan;

import dev.gotrace.core.abi.AbiChoice;
import dev.gotrace.core.abi.DwarfPlaces;
import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.ArgWords;
import dev.gotrace.core.abi.FunctionLayout;
import dev.gotrace.core.abi.GoAbi;
import dev.gotrace.core.abi.LinePlaces;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.InlinedSubroutine;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.pclntab.ArgInfo;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.pclntab.PcRun;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.goelf.sites.FunctionSites;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans {@code gotrace args}: the entry plan of {@link Planner}, plus parameter layouts from
 * DWARF and the ABI ({@link GoAbi}), plus a probe on every RET (results) and every other exit
 * (the call ended, results unknown). Without DWARF, and for assembly, the raw words of the ABI's
 * argument slots. Each inlined copy of a matching function gets a probe at its first
 * instruction, with its parameters where DWARF's inlined subroutine locates them there
 * ({@link DwarfPlaces}).
 */
public final class ArgsPlanner {
  /** Bytes copied from strings by default ({@code --strsize}). */
  public static final int DEFAULT_STRSIZE = 64;
  /** Largest {@code --strsize}. */
  public static final int MAX_STRSIZE = 4096;
  /**
   * The most raw stack words shown per call: 10, as many components as Go's own tracebacks
   * print ({@code runtime/traceback.go printArgs}).
   */
  static final int RAW_STACK_WORDS = 10;
  /** DW_ATE_address: a raw machine word, shown in hex. */
  private static final int DW_ATE_ADDRESS = 1;
  /** A raw word, shown in hex. */
  static final GoType WORD = word(8);

  private final Planner entries;
  private final int strsize;
  private final boolean deref;

  public ArgsPlanner(Planner entries, int strsize) {
    this(entries, strsize, false);
  }

  /**
   * With {@code deref}, pointers to small structs show their pointee ({@code --deref}). The limit
   * on probes ({@code --max-sites}) is {@code entries}'s, counting entries, exits and inlined copies.
   */
  public ArgsPlanner(Planner entries, int strsize, boolean deref) {
    if (strsize < 1 || strsize > MAX_STRSIZE) {
      throw new IllegalArgumentException("--strsize must be 1.." + MAX_STRSIZE + ", got " + strsize);
    }
    this.entries = entries;
    this.strsize = strsize;
    this.deref = deref;
  }

  /**
   * The plan of {@code asked}: function patterns, and line targets ({@link LinePlanner}), each
   * copy of a line probed at its statement boundary with the parameters and locals live there.
   */
  public ArgsPlan plan(GoBinary bin, List<NamePattern> asked) throws GoBinaryException {
    List<LineProbe> lines = LinePlanner.probes(bin, LinePlanner.targets(asked));
    List<NamePattern> patterns = LinePlanner.functionPatterns(asked);
    List<NamePattern> withBody = new ArrayList<>();
    for (NamePattern p : patterns) {
      if (!bin.functions(p).isEmpty()) {
        withBody.add(p);
      }
    }
    List<InlinedCall> copies = new ArrayList<>();
    List<String> inlinedNames = bin.inlinedFunctionNames();
    boolean unmatched = false;
    for (NamePattern p : patterns) {
      unmatched |= !withBody.contains(p) && inlinedNames.stream().noneMatch(p::matches);
    }
    for (String n : inlinedNames) {
      if (patterns.stream().anyMatch(p -> p.matches(n))) {
        copies.addAll(bin.inlinedCopies(n));
      }
    }
    ProbePlan base;
    if (unmatched) {
      // A pattern matches nothing at all: the entry planner refuses it with suggestions.
      base = entries.planWithSites(bin, patterns).plan();
    } else if (withBody.isEmpty()) {
      // Only inlined copies: plan runtime.main for how to reach g, then drop its site.
      ProbePlan g = entries.planWithSites(bin, List.of(NamePattern.parse("runtime.main"))).plan();
      base = new ProbePlan(g.binary(), g.arch(), g.goVersion(), g.g(), g.goidOffset(), g.goidFromDwarf(),
          List.of(), List.of());
    } else {
      base = entries.planWithSites(bin, withBody).plan();
      List<Note> keep = base.notes().stream().filter(n -> !(n instanceof Note.InlinedOnly)).toList();
      base = new ProbePlan(base.binary(), base.arch(), base.goVersion(), base.g(), base.goidOffset(),
          base.goidFromDwarf(), base.sites(), keep);
    }
    // Every probe is known before DWARF is read, so a plan over the limit is refused cheaply.
    List<GoFunc> bodies = new ArrayList<>();
    List<List<ExitSite>> exitsOf = new ArrayList<>();
    int probes = base.sites().size();
    for (ProbeSite s : base.sites()) {
      GoFunc f = bin.functionsNamed(s.function()).stream().filter(g -> g.entry() == s.entry()).findFirst()
          .orElseThrow();
      FunctionSites fs = bin.tracedSites(f);
      List<ExitSite> exits = new ArrayList<>();
      for (ExitSite e : fs.exits()) {
        if (e.kind() != ExitSite.Kind.CONDITIONAL_TAILCALL && bin.fileOffset(e.address()).isPresent()
            && fs.isInstructionBoundary(e.address())) {
          exits.add(e);
        }
      }
      bodies.add(f);
      exitsOf.add(exits);
      probes += exits.size();
    }
    List<Optional<InlinedProbe>> copyProbes = new ArrayList<>();
    for (InlinedCall c : copies) {
      Optional<InlinedProbe> at = inlinedProbe(bin, c);
      copyProbes.add(at);
      probes += at.isPresent() ? 1 : 0;
    }
    probes += lines.size();
    entries.requireWithinLimit(probes,
        base.sites().size() + (int) copies.stream().map(InlinedCall::function).distinct().count()
            + (int) lines.stream().map(l -> l.site().function()).distinct().count());
    // Only the DWARF units of the probed code (and the runtime's, with every Go type).
    List<Long> pcs = new ArrayList<>();
    base.sites().forEach(s -> pcs.add(s.entry()));
    copies.forEach(c -> c.ranges().forEach(r -> pcs.add(r.start())));
    lines.forEach(l -> pcs.add(l.site().pc()));
    Optional<GoDwarf> dwarf = bin.dwarfFor(pcs);
    GoAbi abi = AbiChoice.of(bin);
    List<Note> notes = new ArrayList<>();
    if (dwarf.isEmpty()) {
      Note.NoDwarf raw = new Note.NoDwarf(bin.path().getFileName().toString(),
          abi.usesRegisters() ? Optional.of("RAX, RBX, RCX, RDI, RSI, R8-R11") : Optional.empty());
      Optional<String> problem = bin.dwarfProblem();
      if (!base.sites().isEmpty() || !copies.isEmpty()) { // functions' arguments: raw words
        notes.add(problem.<Note>map(p -> new Note.UnreadableDwarf(raw.file(), p, Optional.of(raw))).orElse(raw));
      } else if (problem.isPresent()) {
        notes.add(new Note.UnreadableDwarf(raw.file(), problem.get(), Optional.empty()));
      }
      if (!lines.isEmpty()) {
        notes.add(new Note.NoDwarfAtLines(raw.file()));
      }
      if (problem.isPresent()) { // said once, with what the arguments lose
        base = new ProbePlan(base.binary(), base.arch(), base.goVersion(), base.g(), base.goidOffset(),
            base.goidFromDwarf(), base.sites(),
            base.notes().stream().filter(n -> !(n instanceof Note.UnreadableDwarf)).toList());
      }
    }
    long stackHi = bin.gLayout().known().orElseThrow().stackHi(); // base.plan refused an unknown layout
    List<ArgsPlan.FunctionArgs> functions = new ArrayList<>();
    List<ArgsPlan.Block> blocks = new ArrayList<>();
    List<ArgsPlan.ArgsSite> sites = new ArrayList<>();
    List<String> assembly = new ArrayList<>();
    for (int i = 0; i < base.sites().size(); i++) {
      ProbeSite s = base.sites().get(i);
      int fi = functions.size();
      GoFunc f = bodies.get(i);
      ArgsPlan.FunctionArgs fa;
      if (isAssembly(f) && (!abi.usesRegisters() || !mayUseAbiInternal(f.name()))) {
        fa = assemblyWords(f);
        assembly.add(f.name());
      } else if (isAssembly(f)) {
        fa = registerWords(abi, s, abi.arch().intArgRegisters().size());
        notes.add(new Note.MaybeAbiInternal(f.name()));
      } else {
        fa = describe(dwarf, abi, s, bin, f, notes);
      }
      functions.add(fa);
      int entryBlock = blocks.size();
      blocks.add(new ArgsPlan.Block(entryBlock, fi, ArgsPlan.Kind.ENTRY, RecordLayout.of(fa.inputs(), strsize, deref)));
      int retBlock = blocks.size();
      blocks.add(new ArgsPlan.Block(retBlock, fi, ArgsPlan.Kind.RETURN, RecordLayout.of(fa.results(), strsize, deref)));
      int tailBlock = blocks.size();
      blocks.add(new ArgsPlan.Block(tailBlock, fi, ArgsPlan.Kind.TAIL_EXIT, RecordLayout.of(List.of(), strsize)));
      sites.add(new ArgsPlan.ArgsSite(sites.size(), entryBlock, s.probeAddress(), s.fileOffset()));
      for (ExitSite e : exitsOf.get(i)) {
        int block = e.kind() == ExitSite.Kind.RET ? retBlock : tailBlock;
        sites.add(new ArgsPlan.ArgsSite(sites.size(), block, e.address(), bin.fileOffset(e.address()).getAsLong()));
      }
      if (exitsOf.get(i).isEmpty()) {
        notes.add(new Note.NoReturnsShown(s.function()));
      }
    }
    if (!assembly.isEmpty()) {
      notes.add(new Note.Abi0Assembly(assembly));
    }
    int skipped = 0;
    int located = 0;
    for (int i = 0; i < copies.size(); i++) {
      InlinedCall c = copies.get(i);
      Optional<InlinedProbe> at = copyProbes.get(i);
      if (at.isEmpty()) {
        skipped++;
        continue;
      }
      long pc = at.get().address();
      int fi = functions.size();
      String into = c.caller() + c.callSite().map(p -> " at " + shortFile(p.file()) + ":" + p.line()).orElse("");
      Optional<InlinedSubroutine> copy = dwarf.flatMap(d -> d.inlinedAt(c.function(), pc));
      List<ParamLayout> inputs = copy.map(d -> DwarfPlaces.at(bin.arch(), d.inputs(), pc, at.get().spDelta())).orElse(List.of());
      located += copy.isPresent() ? 1 : 0;
      functions.add(new ArgsPlan.FunctionArgs(c.function(), copy.isPresent(), inputs, List.of(), into));
      int block = blocks.size();
      blocks.add(new ArgsPlan.Block(block, fi, ArgsPlan.Kind.INLINED, RecordLayout.of(inputs, strsize, deref)));
      sites.add(new ArgsPlan.ArgsSite(sites.size(), block, pc, bin.fileOffset(pc).getAsLong()));
    }
    if (!copies.isEmpty()) {
      int probed = copies.size() - skipped;
      notes.add(new Note.InlinedCopies(probed, located, skipped));
    }
    for (LineProbe l : lines) {
      int fi = functions.size();
      Optional<List<ParamLayout>> values = dwarf.flatMap(d -> LinePlaces.at(bin.arch(), d, l.site()));
      functions.add(new ArgsPlan.FunctionArgs(l.site().function(), values.isPresent(), values.orElse(List.of()),
          List.of(), l.inlinedInto(), l.label()));
      int block = blocks.size();
      blocks.add(new ArgsPlan.Block(block, fi, ArgsPlan.Kind.LINE, RecordLayout.of(values.orElse(List.of()), strsize, deref)));
      sites.add(new ArgsPlan.ArgsSite(sites.size(), block, l.site().pc(), l.site().fileOffset()));
    }
    if (sites.isEmpty()) {
      throw new PlanException.NoMatch(bin.path().toString(),
          String.join(" ", patterns.stream().map(NamePattern::text).toList()), List.of());
    }
    return new ArgsPlan(base, stackHi, strsize, functions, blocks, sites, notes);
  }

  /** Where an inlined copy is probed, and how far SP is below its entry value there. */
  private record InlinedProbe(long address, long spDelta) {}

  /**
   * Where an inlined copy starts: its lowest PC, when that is an instruction of the outer function
   * after its stack check (a probe before it would fire again after morestack).
   */
  private static Optional<InlinedProbe> inlinedProbe(GoBinary bin, InlinedCall c) throws GoBinaryException {
    if (c.ranges().isEmpty()) {
      return Optional.empty();
    }
    long at = c.ranges().get(0).start();
    for (GoFunc outer : bin.functionsNamed(c.outer())) {
      if (at < outer.entry() || at >= outer.end()) {
        continue;
      }
      FunctionSites fs = bin.tracedSites(outer);
      if (fs.probeEntry().isPresent() && at >= fs.probeEntry().getAsLong() && fs.isInstructionBoundary(at)
          && bin.fileOffset(at).isPresent()) {
        long sp = bin.pclntab().spDeltaTable(outer).stream().filter(r -> at >= r.start() && at < r.end())
            .mapToLong(PcRun::value).findFirst().orElse(0);
        return Optional.of(new InlinedProbe(at, sp));
      }
    }
    return Optional.empty();
  }

  private static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }

  private static ArgsPlan.FunctionArgs describe(Optional<GoDwarf> dwarf, GoAbi abi, ProbeSite s, GoBinary bin,
      GoFunc f, List<Note> notes) throws GoBinaryException {
    Optional<Subprogram> sp = dwarf.flatMap(d -> d.functionAt(s.entry()))
        .filter(p -> p.lowPc() == s.entry());
    if (sp.isPresent()) {
      FunctionLayout l = abi.layout(sp.get());
      return new ArgsPlan.FunctionArgs(s.function(), true, l.inputs(), l.results());
    }
    if (!abi.usesRegisters()) {
      // The stack ABI: the pclntab's args size is the argument area, arguments then results.
      int words = f.argsSize() >= 0 ? (f.argsSize() + 7) / 8 : RAW_STACK_WORDS;
      if (words > RAW_STACK_WORDS) {
        notes.add(new Note.RawWordsCut(f.name(), RAW_STACK_WORDS, words, false));
      }
      return new ArgsPlan.FunctionArgs(s.function(), false, stackWords(Math.min(words, RAW_STACK_WORDS)), List.of());
    }
    return registerArgs(bin.argInfo(f), abi, s, notes);
  }

  /**
   * The register ABI without DWARF: the words {@link ArgWords} places, each masked to its
   * component's size. No argument info: the function has no parameters.
   */
  static ArgsPlan.FunctionArgs registerArgs(Optional<ArgInfo> info, GoAbi abi, ProbeSite s, List<Note> notes) {
    List<Register> regs = abi.arch().intArgRegisters();
    ArgWords placed = ArgWords.registers(abi.arch(), info, s.function().contains("["));
    List<ParamLayout> raw = new ArrayList<>();
    for (Piece w : placed.words()) {
      raw.add(new ParamLayout("arg" + raw.size(), word(w.size()), false, w.size(), List.of(w)));
    }
    if (raw.size() < placed.listed() || placed.truncated()) {
      notes.add(new Note.RawWordsCut(s.function(), raw.size(), placed.listed(), placed.truncated()));
    }
    List<ParamLayout> rawResults = List.of(registerWord("ret0", true, regs.get(0)), registerWord("ret1", true, regs.get(1)));
    return new ArgsPlan.FunctionArgs(s.function(), false, raw, rawResults);
  }

  /** Assembly that may be ABIInternal: the first {@code n} integer argument registers. */
  private static ArgsPlan.FunctionArgs registerWords(GoAbi abi, ProbeSite s, int n) {
    List<Register> regs = abi.arch().intArgRegisters();
    List<ParamLayout> raw = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      raw.add(registerWord("arg" + i, false, regs.get(i)));
    }
    return new ArgsPlan.FunctionArgs(s.function(), false, raw,
        List.of(registerWord("ret0", true, regs.get(0)), registerWord("ret1", true, regs.get(1))));
  }

  private static ParamLayout registerWord(String name, boolean result, Register r) {
    return word(name, result, new ArgLocation.InRegister(r));
  }

  /** A raw value of {@code size} bytes, shown in hex. */
  private static GoType word(int size) {
    return new GoType.Base(size == 8 ? "uintptr" : "uint" + 8 * size, size, 12, DW_ATE_ADDRESS);
  }

  /** funcFlag ASM (Go 1.21+); before, the source file of an assembly function is a .s file. */
  public static boolean isAssembly(GoFunc f) {
    return (f.flags() & 4) != 0 || f.file().endsWith(".s");
  }

  /**
   * Whether assembly in {@code function}'s package may use the register ABI: the assembler
   * accepts {@code <ABIInternal>} only in the runtime and a few packages close to it
   * (cmd/internal/objabi, pkgspecial.go: runtime, reflect, syscall, internal/...); everywhere
   * else assembly is ABI0.
   */
  public static boolean mayUseAbiInternal(String function) {
    String pkg = packageOf(function);
    return pkg.equals("runtime") || pkg.startsWith("runtime/") || pkg.equals("reflect") || pkg.equals("syscall")
        || pkg.startsWith("internal/");
  }

  /** "crypto/sha256" of "crypto/sha256.block", "main" of "main.(*T).M". */
  static String packageOf(String function) {
    int slash = function.lastIndexOf('/');
    int dot = function.indexOf('.', slash + 1);
    return dot < 0 ? function : function.substring(0, dot);
  }

  /**
   * An assembly function of ABI0 takes its arguments on the stack whatever the Go version: the
   * words of its argument area (the pclntab's args size, which also holds the results), at most
   * {@link #RAW_STACK_WORDS}; results unknown.
   */
  private static ArgsPlan.FunctionArgs assemblyWords(GoFunc f) {
    // A negative args size is "unknown" (ArgsSizeUnknown) for some assembly functions.
    int n = f.argsSize() >= 0 ? Math.min(RAW_STACK_WORDS, (f.argsSize() + 7) / 8) : RAW_STACK_WORDS;
    return new ArgsPlan.FunctionArgs(f.name(), false, stackWords(n), List.of());
  }

  /** arg0…arg(n-1): the first {@code n} words of the stack argument area, from 8(SP) at entry. */
  private static List<ParamLayout> stackWords(int n) {
    List<ParamLayout> raw = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      raw.add(word("arg" + i, false, new ArgLocation.Stack(8 + 8L * i)));
    }
    return raw;
  }

  private static ParamLayout word(String name, boolean result, ArgLocation where) {
    return new ParamLayout(name, WORD, result, 8, List.of(new Piece(0, 8, where)));
  }
}
