package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.lines.LineTarget;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.rtype.GLayoutAnswer;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.goelf.sites.SiteStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Builds a {@link ProbePlan} for entry probes on the functions matching some patterns. */
public final class Planner {
  /** The default limit on the number of probes ({@code --max-sites}). */
  public static final int DEFAULT_MAX_SITES = 1000;

  private final Arch host;
  private final int maxSites;

  /** A planner for this machine's architecture. */
  public Planner(int maxSites) {
    this(hostArch(), maxSites);
  }

  /** A planner for a given host architecture (tests). */
  public Planner(Arch host, int maxSites) {
    this.host = host;
    this.maxSites = maxSites;
  }

  /** This JVM's architecture as a Go architecture, empty when gotrace does not know it. */
  public static Arch hostArch() {
    String a = System.getProperty("os.arch", "");
    return switch (a) {
      case "amd64", "x86_64" -> Arch.AMD64;
      case "aarch64", "arm64" -> Arch.ARM64;
      case "x86", "i386", "i686" -> Arch.I386;
      default -> null;
    };
  }

  /**
   * Plans one entry probe per function of {@code bin} that matches any of {@code patterns};
   * refuses more probes than the limit.
   */
  public ProbePlan plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    ProbePlan plan = planWithSites(bin, patterns).plan();
    requireWithinLimit(plan.sites().size(), plan.sites().size());
    return plan;
  }

  /**
   * {@link #plan}, with the line targets among {@code asked} ({@link LinePlanner}) probed too: one
   * site per copy of each line, after the entry sites of the function patterns.
   */
  public ProbePlan planWithLines(GoBinary bin, List<NamePattern> asked) throws GoBinaryException {
    List<LineProbe> lines = LinePlanner.probes(bin, LinePlanner.targets(asked));
    List<NamePattern> patterns = LinePlanner.functionPatterns(asked);
    if (lines.isEmpty()) {
      return plan(bin, patterns);
    }
    ProbePlan base = planWithSites(bin, patterns.isEmpty() ? List.of(NamePattern.parse("runtime.main")) : patterns).plan();
    List<ProbeSite> sites = new ArrayList<>(patterns.isEmpty() ? List.of() : base.sites());
    for (LineProbe l : lines) {
      sites.add(new ProbeSite(sites.size(), l.site().function(), l.site().host().entry(), l.site().pc(),
          l.site().fileOffset(), Optional.of(l)));
    }
    requireWithinLimit(sites.size(), (int) sites.stream().map(ProbeSite::function).distinct().count());
    return new ProbePlan(base.binary(), base.arch(), base.goVersion(), base.g(), base.goidOffset(), base.goidFromDwarf(),
        sites, base.notes());
  }

  /** Refuses a plan of {@code probes} probes on {@code functions} functions above the limit. */
  void requireWithinLimit(int probes, int functions) {
    if (probes > maxSites) {
      throw new PlanException.TooManySites(probes, functions, maxSites);
    }
  }

  /**
   * A plan and, for each of its sites in order, the decoded sites of its function, so that a
   * planner building on this one (latency's exits) neither looks the function up again nor decodes
   * its code twice.
   */
  record Analysed(ProbePlan plan, List<FunctionSites> sites) {
    Analysed {
      sites = List.copyOf(sites);
    }
  }

  /** The plan and its decoded sites, without the limit: the planner building on it counts its own probes. */
  Analysed planWithSites(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    String name = bin.path().toString();
    for (NamePattern p : patterns) {
      if (LineTarget.isLine(p.text())) { // funcs and args split lines off first
        // Resolved for the hint: a line without code is refused as such here.
        List<String> in = LinePlanner.probes(bin, LinePlanner.targets(List.of(p))).stream()
            .map(l -> l.site().host().name()).distinct().toList();
        throw new PlanException.NoLine(p.text() + " is a source line; this command measures functions",
            (in.size() == 1 ? "give the function that holds it, " : "give the functions that hold it, ") + String.join(", ", in)
                + ", or probe the line with funcs or args");
      }
    }
    if (bin.arch() != host || host != Arch.AMD64) {
      throw new PlanException.WrongArch(name, bin.arch().goArch(),
          host == null ? System.getProperty("os.arch") : host.goArch());
    }
    // runtime.g's layout (DWARF's unit of types) is read on the other core meanwhile.
    CompletableFuture<GLayoutAnswer> layoutSoon = CompletableFuture.supplyAsync(() -> {
      try {
        return bin.gLayout();
      } catch (GoBinaryException e) {
        throw new CompletionException(e);
      }
    });
    try {
      return planWithSites(bin, patterns, name, layoutSoon);
    } finally {
      layoutSoon.exceptionally(e -> null).join(); // nothing outlives the plan, even a refused one
    }
  }

  private Analysed planWithSites(GoBinary bin, List<NamePattern> patterns, String name,
      CompletableFuture<GLayoutAnswer> layoutSoon) throws GoBinaryException {
    Map<String, GoFunc> matched = new LinkedHashMap<>();
    List<Note> notes = new ArrayList<>();
    for (NamePattern p : patterns) {
      List<GoFunc> fs = bin.functions(p);
      List<String> inlinedOnly = inlinedOnly(bin, p);
      if (fs.isEmpty()) {
        if (!inlinedOnly.isEmpty()) {
          throw new PlanException.InlinedOnly(inlinedOnly.get(0), bin.inlinedCopies(inlinedOnly.get(0)).size(),
              where(bin, inlinedOnly.get(0)));
        }
        throw new PlanException.NoMatch(name, p.text(), Suggestions.closest(p, bin.functions(), 5));
      }
      for (GoFunc f : fs) {
        matched.putIfAbsent(f.name() + "@" + Long.toHexString(f.entry()), f);
      }
      for (String n : inlinedOnly) {
        notes.add(new Note.InlinedOnly(n, bin.inlinedCopies(n).size()));
      }
    }
    List<ProbeSite> sites = new ArrayList<>();
    List<FunctionSites> analysed = new ArrayList<>();
    List<FunctionSites> ofSites = new ArrayList<>();
    List<GoFunc> functions = List.copyOf(matched.values());
    List<FunctionSites> decoded = SitesInParallel.decode(bin, functions);
    for (int i = 0; i < functions.size(); i++) {
      GoFunc f = functions.get(i);
      FunctionSites s = decoded.get(i);
      analysed.add(s);
      if (s.status() == SiteStatus.UNDECODABLE || s.probeEntry().isEmpty()) {
        notes.add(new Note.Undecodable(f.name(), s.reason()));
        continue;
      }
      long at = s.probeEntry().getAsLong();
      OptionalLong off = bin.fileOffset(at);
      if (!s.isInstructionBoundary(at) || off.isEmpty()) {
        notes.add(new Note.NotAnInstructionStart(f.name(), at));
        continue;
      }
      sites.add(new ProbeSite(sites.size(), f.name(), f.entry(), at, off.getAsLong()));
      ofSites.add(s);
    }
    if (sites.isEmpty()) {
      throw new PlanException.NoMatch(name, String.join(" ", patterns.stream().map(NamePattern::text).toList()),
          List.of());
    }
    GLayoutAnswer answer = layout(layoutSoon);
    if (answer instanceof GLayoutAnswer.Refused r) {
      throw new PlanException.NoGoroutineLayout(name, bin.goVersion().toString(), r.reason());
    }
    bin.dwarfProblem().ifPresent(p -> notes.add(new Note.UnreadableDwarf(bin.path().getFileName().toString(), p,
        Optional.empty())));
    Optional<GLayout> layout = answer.known();
    boolean fromDwarf = answer.fromDwarf();
    GAccess g = GAccessFinder.find(bin, layout.get(), analysed);
    return new Analysed(new ProbePlan(bin.path(), bin.arch(), bin.goVersion(), g, layout.get().goid(), fromDwarf,
        sites, notes), ofSites);
  }

  private static GLayoutAnswer layout(CompletableFuture<GLayoutAnswer> soon) throws GoBinaryException {
    try {
      return soon.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof GoBinaryException g) {
        throw g;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static List<String> inlinedOnly(GoBinary bin, NamePattern p) throws GoBinaryException {
    List<String> out = new ArrayList<>();
    for (String n : bin.inlinedFunctionNames()) {
      if (p.matches(n) && bin.functionsNamed(n).isEmpty()) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<String> where(GoBinary bin, String function) throws GoBinaryException {
    List<String> out = new ArrayList<>();
    for (InlinedCall c : bin.inlinedCopies(function)) {
      out.add(c.caller() + c.callSite().map(s -> " at " + s).orElse(""));
    }
    return out.stream().distinct().toList();
  }
}
