package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.code.Flow;
import dev.gotrace.goelf.code.InvalidInstructionException;
import dev.gotrace.goelf.x86.X86Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Computes {@link FunctionSites} for functions of one binary. Thread-safe if the
 * {@link MemoryReader} is; each thread decodes into its own reused {@link Listing}.
 */
public final class SiteAnalyzer {
  private final Arch arch;
  private final CodeModel model;
  private final MemoryReader memory;
  private final ThreadLocal<Listing> listings = ThreadLocal.withInitial(Listing::new);

  public SiteAnalyzer(Arch arch, MemoryReader memory) {
    this.arch = arch;
    this.memory = memory;
    this.model = switch (arch) {
      case AMD64, I386 -> new X86CodeModel(X86Mode.of(arch));
      case ARM64 -> new Arm64CodeModel();
    };
  }

  public Arch arch() {
    return arch;
  }

  /** Analyses one function. Never throws for bad bytes: those make it {@link SiteStatus#UNDECODABLE}. */
  public FunctionSites analyze(FunctionCode fn) {
    Listing listing = listings.get().reset(fn);
    try {
      model.decode(fn, listing);
    } catch (InvalidInstructionException e) {
      return FunctionSites.undecodable(fn, e.getMessage());
    }
    if (listing.size() == 0) {
      return FunctionSites.undecodable(fn, "no instructions before padding");
    }
    Optional<String> desync = branchIntoInstruction(fn, listing);
    if (desync.isPresent()) {
      return FunctionSites.undecodable(fn, desync.get());
    }
    int check = PrologueFinder.lastCheckBranch(fn, listing);
    long probeEntry = check < 0 ? fn.entry() : listing.next(check);
    if (listing.indexOf(probeEntry) < 0) {
      return FunctionSites.undecodable(fn, "the prologue ends outside the decoded code");
    }
    OptionalLong tls = check < 0 ? OptionalLong.empty() : model.tlsGOffset(listing, check, memory);
    OptionalLong guard = check < 0 ? OptionalLong.empty() : model.registerGStackGuard(listing, check);

    List<ExitSite> exits = new ArrayList<>();
    List<JumpTable> tables = new ArrayList<>();
    for (int i = 0; i < listing.size(); i++) {
      Flow flow = listing.flow(i);
      if (flow == Flow.RET) {
        exits.add(new ExitSite(listing.address(i), ExitSite.Kind.RET));
      } else if (flow == Flow.JUMP && !fn.contains(listing.target(i))) {
        exits.add(new ExitSite(listing.address(i), ExitSite.Kind.TAILCALL));
      } else if (flow == Flow.CONDITIONAL && !fn.contains(listing.target(i))) {
        exits.add(new ExitSite(listing.address(i), ExitSite.Kind.CONDITIONAL_TAILCALL));
      } else if (flow == Flow.JUMP_INDIRECT) {
        Optional<JumpTable> t = model.jumpTable(fn, listing, i, memory);
        if (t.isPresent()) {
          tables.add(t.get());
        } else {
          exits.add(new ExitSite(listing.address(i), ExitSite.Kind.INDIRECT));
        }
      }
    }
    SiteStatus status = exits.isEmpty() ? SiteStatus.NO_EXIT : SiteStatus.OK;
    String reason = exits.isEmpty() ? "no return, tail call or indirect jump" : "";
    return new FunctionSites(fn.name(), fn.entry(), status, reason, OptionalLong.of(probeEntry),
        check >= 0, exits, tables, tls, listing.boundaries(), guard);
  }

  /**
   * A direct branch inside the function must land on a decoded instruction; otherwise the linear
   * decode ran through bytes that are not code (data embedded after a jump) and lost the real
   * instruction stream, so none of its boundaries can be trusted.
   */
  private static Optional<String> branchIntoInstruction(FunctionCode fn, Listing listing) {
    for (int i = 0; i < listing.size(); i++) {
      long target = listing.target(i);
      if (listing.flow(i).hasTarget() && fn.contains(target) && listing.indexOf(target) < 0) {
        return Optional.of(String.format("branch at 0x%x targets 0x%x, inside an instruction or"
            + " padding: the bytes are not all code", listing.address(i), target));
      }
    }
    return Optional.empty();
  }
}
