package dev.gotrace.core.plan;

import dev.gotrace.core.abi.AbiChoice;
import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.FunctionLayout;
import dev.gotrace.core.abi.GoAbi;
import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.goelf.sites.FunctionSites;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Plans {@code gotrace args}: the entry plan of {@link Planner}, plus parameter layouts from
 * DWARF and the ABI ({@link GoAbi}), plus a probe on every RET (results) and every other exit
 * (the call ended, results unknown). Without DWARF, the raw words of the ABI's argument slots.
 */
public final class ArgsPlanner {
  /** Bytes copied from strings by default ({@code --strsize}). */
  public static final int DEFAULT_STRSIZE = 64;
  /** Largest {@code --strsize}. */
  public static final int MAX_STRSIZE = 4096;
  /** Raw words shown for stack-ABI functions without DWARF. */
  static final int RAW_STACK_WORDS = 6;
  /** uintptr as DWARF describes it: a raw word. */
  static final GoType WORD = new GoType.Base("uintptr", 8, 12, 7);

  private final Planner entries;
  private final int strsize;
  private final boolean deref;
  private final int maxFunctions;

  public ArgsPlanner(Planner entries, int strsize) {
    this(entries, strsize, false);
  }

  /** With {@code deref}, pointers to small structs show their pointee ({@code --deref}). */
  public ArgsPlanner(Planner entries, int strsize, boolean deref) {
    this(entries, strsize, deref, Planner.DEFAULT_MAX_SITES);
  }

  /**
   * @param maxFunctions the limit on functions plus inlined copies probed ({@code --max-sites})
   */
  public ArgsPlanner(Planner entries, int strsize, boolean deref, int maxFunctions) {
    if (strsize < 1 || strsize > MAX_STRSIZE) {
      throw new IllegalArgumentException("--strsize must be 1.." + MAX_STRSIZE + ", got " + strsize);
    }
    this.entries = entries;
    this.strsize = strsize;
    this.deref = deref;
    this.maxFunctions = maxFunctions;
  }

  public ArgsPlan plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
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
      base = entries.plan(bin, patterns);
    } else if (withBody.isEmpty()) {
      // Only inlined copies: plan runtime.main for how to reach g, then drop its site.
      ProbePlan g = entries.plan(bin, List.of(NamePattern.parse("runtime.main")));
      base = new ProbePlan(g.binary(), g.arch(), g.goVersion(), g.g(), g.goidOffset(), g.goidFromDwarf(),
          List.of(), List.of());
    } else {
      base = entries.plan(bin, withBody);
      List<String> keep = base.notes().stream().filter(n -> !n.contains("exists only inlined")).toList();
      base = new ProbePlan(base.binary(), base.arch(), base.goVersion(), base.g(), base.goidOffset(),
          base.goidFromDwarf(), base.sites(), keep);
    }
    Optional<GoDwarf> dwarf = bin.dwarf();
    GoAbi abi = AbiChoice.of(bin);
    List<String> notes = new ArrayList<>();
    if (dwarf.isEmpty()) {
      notes.add(bin.path().getFileName() + " has no DWARF: arguments are shown as the raw words of the "
          + (abi.usesRegisters() ? "argument registers (RAX, RBX, RCX, RDI, RSI, R8-R11)" : "first stack slots")
          + ", without names or types");
    }
    long stackHi = bin.gLayout().orElseThrow().stackHi();
    List<ArgsPlan.FunctionArgs> functions = new ArrayList<>();
    List<ArgsPlan.Block> blocks = new ArrayList<>();
    List<ArgsPlan.ArgsSite> sites = new ArrayList<>();
    for (ProbeSite s : base.sites()) {
      int fi = functions.size();
      ArgsPlan.FunctionArgs fa = describe(dwarf, abi, s);
      functions.add(fa);
      int entryBlock = blocks.size();
      blocks.add(new ArgsPlan.Block(entryBlock, fi, ArgsPlan.Kind.ENTRY, RecordLayout.of(fa.inputs(), strsize, deref)));
      int retBlock = blocks.size();
      blocks.add(new ArgsPlan.Block(retBlock, fi, ArgsPlan.Kind.RETURN, RecordLayout.of(fa.results(), strsize, deref)));
      int tailBlock = blocks.size();
      blocks.add(new ArgsPlan.Block(tailBlock, fi, ArgsPlan.Kind.TAIL_EXIT, RecordLayout.of(List.of(), strsize)));
      sites.add(new ArgsPlan.ArgsSite(sites.size(), entryBlock, s.probeAddress(), s.fileOffset()));
      GoFunc f = bin.functionsNamed(s.function()).stream().filter(g -> g.entry() == s.entry()).findFirst()
          .orElseThrow();
      FunctionSites fs = bin.sites(f);
      int exits = 0;
      for (ExitSite e : fs.exits()) {
        OptionalLong off = bin.fileOffset(e.address());
        if (e.kind() == ExitSite.Kind.CONDITIONAL_TAILCALL || off.isEmpty()
            || !fs.isInstructionBoundary(e.address())) {
          continue;
        }
        int block = e.kind() == ExitSite.Kind.RET ? retBlock : tailBlock;
        sites.add(new ArgsPlan.ArgsSite(sites.size(), block, e.address(), off.getAsLong()));
        exits++;
      }
      if (exits == 0) {
        notes.add(s.function() + ": no exit instruction found, its returns are not shown");
      }
    }
    if (functions.size() + copies.size() > maxFunctions) {
      throw new PlanException.TooManySites(functions.size() + copies.size(), maxFunctions);
    }
    int skipped = 0;
    for (InlinedCall c : copies) {
      OptionalLong at = inlinedProbe(bin, c);
      if (at.isEmpty()) {
        skipped++;
        continue;
      }
      int fi = functions.size();
      String into = c.caller() + c.callSite().map(p -> " at " + shortFile(p.file()) + ":" + p.line()).orElse("");
      functions.add(new ArgsPlan.FunctionArgs(c.function(), false, List.of(), List.of(), into));
      int block = blocks.size();
      blocks.add(new ArgsPlan.Block(block, fi, ArgsPlan.Kind.INLINED, RecordLayout.of(List.of(), strsize)));
      sites.add(new ArgsPlan.ArgsSite(sites.size(), block, at.getAsLong(), bin.fileOffset(at.getAsLong()).getAsLong()));
    }
    if (!copies.isEmpty()) {
      notes.add((copies.size() - skipped) + " inlined " + (copies.size() - skipped == 1 ? "copy" : "copies")
          + " probed at their first instruction (calls only: no arguments or returns there)"
          + (skipped > 0 ? "; " + skipped + " could not be probed" : ""));
    }
    if (sites.isEmpty()) {
      throw new PlanException.NoMatch(bin.path().toString(),
          String.join(" ", patterns.stream().map(NamePattern::text).toList()), List.of());
    }
    return new ArgsPlan(base, stackHi, strsize, functions, blocks, sites, notes);
  }

  /**
   * Where an inlined copy starts: its lowest PC, when that is an instruction of the outer function
   * after its stack check (a probe before it would fire again after morestack).
   */
  private static OptionalLong inlinedProbe(GoBinary bin, InlinedCall c) throws GoBinaryException {
    if (c.ranges().isEmpty()) {
      return OptionalLong.empty();
    }
    long at = c.ranges().get(0).start();
    for (GoFunc outer : bin.functionsNamed(c.outer())) {
      if (at < outer.entry()) {
        continue;
      }
      FunctionSites fs = bin.sites(outer);
      if (fs.probeEntry().isPresent() && at >= fs.probeEntry().getAsLong() && fs.isInstructionBoundary(at)
          && bin.fileOffset(at).isPresent()) {
        return OptionalLong.of(at);
      }
    }
    return OptionalLong.empty();
  }

  private static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }

  private static ArgsPlan.FunctionArgs describe(Optional<GoDwarf> dwarf, GoAbi abi, ProbeSite s) {
    Optional<Subprogram> sp = dwarf.flatMap(d -> d.functionAt(s.entry()))
        .filter(p -> p.lowPc() == s.entry());
    if (sp.isPresent()) {
      FunctionLayout l = abi.layout(sp.get());
      return new ArgsPlan.FunctionArgs(s.function(), true, l.inputs(), l.results());
    }
    List<ParamLayout> raw = new ArrayList<>();
    List<ParamLayout> rawResults = new ArrayList<>();
    if (abi.usesRegisters()) {
      List<ArgLocation.Register> regs = GoAbi.intRegisters();
      for (int i = 0; i < regs.size(); i++) {
        raw.add(word("arg" + i, false, regs.get(i)));
      }
      rawResults.add(word("ret0", true, regs.get(0)));
      rawResults.add(word("ret1", true, regs.get(1)));
    } else {
      for (int i = 0; i < RAW_STACK_WORDS; i++) {
        raw.add(word("arg" + i, false, new ArgLocation.Stack(8 + 8L * i)));
      }
    }
    return new ArgsPlan.FunctionArgs(s.function(), false, raw, rawResults);
  }

  private static ParamLayout word(String name, boolean result, ArgLocation where) {
    return new ParamLayout(name, WORD, result, 8, List.of(new Piece(0, 8, where)));
  }
}
