package dev.gotrace.core.inspect;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.pclntab.SourcePos;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.goelf.work.Ordered;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Builds the {@link FunctionInfo} of the functions a user asked about. */
public final class Inspector {
  /** Up to this many functions, their inlined copies are read from the trees that hold them. */
  private static final int FEW = 64;

  private final GoBinary bin;

  public Inspector(GoBinary bin) {
    this.bin = bin;
  }

  /** The functions matching any of {@code patterns} (all when empty), sorted by entry. */
  public List<GoFunc> select(List<NamePattern> patterns) {
    if (patterns.isEmpty()) {
      return bin.functions();
    }
    return bin.functions().stream()
        .filter(f -> patterns.stream().anyMatch(p -> p.matches(f.name())))
        .toList();
  }

  /**
   * The functions matching {@code patterns} (all when empty) that have no code of their own: the
   * compiler inlined every call and the linker dropped the body. Sorted by name.
   */
  public List<String> selectInlinedOnly(List<NamePattern> patterns) throws GoBinaryException {
    if (patterns.isEmpty()) {
      bin.readAllInlineTrees(); // every function will be listed with its copies: one pass for both
    }
    List<String> out = new ArrayList<>();
    for (String name : bin.inlinedFunctionNames()) {
      if ((patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(name)))
          && bin.functionsNamed(name).isEmpty()) {
        out.add(name);
      }
    }
    return out;
  }

  /** The view of {@code f}, with its probe sites when {@code withSites}. */
  public FunctionInfo describe(GoFunc f, boolean withSites) throws GoBinaryException {
    List<String> into = inlinedInto(f.name());
    Optional<FunctionInfo.Sites> sites = withSites ? Optional.of(sites(f)) : Optional.empty();
    return new FunctionInfo(f.name(), true, f.entry(), f.end(),
        bin.fileOffset(f.entry()).orElse(-1), f.file(), f.line(), into.size(), into, sites);
  }

  /** Receives the views of {@link #describeAll} in order. */
  @FunctionalInterface
  public interface Sink {
    void accept(FunctionInfo f) throws GoBinaryException;
  }

  /**
   * The views of {@code functions}, computed on all cores (functions are independent) and passed
   * to {@code sink} in the order of the list, on the caller's thread.
   */
  public void describeAll(List<GoFunc> functions, boolean withSites, Sink sink) throws GoBinaryException {
    if (functions.size() > FEW) {
      bin.readAllInlineTrees(); // where each is inlined: one pass over all trees, not one per function
    }
    Ordered.map(functions, f -> describe(f, withSites), sink::accept, GoBinaryException.class);
  }

  /** The view of a function that exists only as inlined copies. */
  public FunctionInfo describeInlinedOnly(String name) throws GoBinaryException {
    return FunctionInfo.inlinedOnly(name, inlinedInto(name));
  }

  private List<String> inlinedInto(String name) throws GoBinaryException {
    List<InlinedCall> copies = bin.inlinedCopies(name);
    List<String> into = new ArrayList<>(copies.size());
    for (InlinedCall c : copies) {
      into.add(c.caller() + c.callSite().map(p -> " at " + p).orElse(""));
    }
    return into;
  }

  private FunctionInfo.Sites sites(GoFunc f) throws GoBinaryException {
    FunctionSites s = bin.sites(f);
    List<FunctionInfo.Exit> exits = new ArrayList<>(s.exits().size());
    for (ExitSite e : s.exits()) {
      exits.add(new FunctionInfo.Exit(e.address(), e.kind().name().toLowerCase(Locale.ROOT),
          bin.sourcePos(e.address()).map(SourcePos::toString)));
    }
    long probe = s.probeEntry().orElse(-1);
    Optional<String> probeLine = probe < 0 ? Optional.empty()
        : bin.sourcePos(probe).map(SourcePos::toString);
    return new FunctionInfo.Sites(s.status().name(), s.reason(), probe, s.stackCheck(),
        probeLine, exits);
  }
}
