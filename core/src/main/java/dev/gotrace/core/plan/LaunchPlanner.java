package dev.gotrace.core.plan;

import dev.gotrace.core.abi.AbiChoice;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.rtype.GLayoutAnswer;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.goelf.sites.SiteStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Plans the probes on {@code runtime.newproc1}: its probe entry and every {@code RET}. */
public final class LaunchPlanner {
  /** The function every {@code go} statement reaches. */
  public static final String NEWPROC1 = "runtime.newproc1";

  private final Arch host;

  /** A planner for this machine's architecture. */
  public LaunchPlanner() {
    this(Planner.hostArch());
  }

  /** A planner for a given host architecture (tests). */
  public LaunchPlanner(Arch host) {
    this.host = host;
  }

  public LaunchPlan plan(GoBinary bin) throws GoBinaryException {
    String name = bin.path().toString();
    if (bin.arch() != Arch.AMD64 || host != Arch.AMD64) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          name + " is built for " + bin.arch().goArch() + " and this machine is "
              + (host == null ? System.getProperty("os.arch") : host.goArch())
              + "; gotrace goroutines traces amd64 binaries on amd64",
          "live tracing is amd64 only (an amd64 binary on an amd64 machine); 'gotrace info' and"
              + " 'gotrace list --sites' read " + bin.arch().goArch() + " binaries");
    }
    List<GoFunc> fs = bin.functionsNamed(NEWPROC1);
    if (fs.isEmpty()) {
      throw new LaunchPlanException(LaunchPlanException.Kind.NO_NEWPROC,
          name + " has no function " + NEWPROC1, "is it a Go program? gotrace info " + name + " tells");
    }
    GoFunc f = fs.get(0);
    FunctionSites s = bin.tracedSites(f);
    if (s.status() != SiteStatus.OK || s.probeEntry().isEmpty()) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          "the machine code of " + NEWPROC1 + " in " + name + " did not decode (" + s.reason() + ")",
          "report this binary's Go version (gotrace info " + name + ")");
    }
    long entry = s.probeEntry().getAsLong();
    List<Note> notes = new ArrayList<>();
    List<LaunchSite> sites = new ArrayList<>();
    sites.add(validated(bin, s, 0, false, entry));
    for (ExitSite e : s.exits()) {
      if (e.kind() != ExitSite.Kind.RET) {
        notes.add(new Note.ExitBeforeResult(NEWPROC1, e.kind(), e.address()));
        continue;
      }
      sites.add(validated(bin, s, sites.size(), true, e.address()));
    }
    if (sites.size() < 2) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          NEWPROC1 + " in " + name + " has no return instruction to probe", "report this binary's Go version");
    }
    NewprocLayout layout = layout(bin, entry, notes);
    GLayoutAnswer answer = bin.gLayout();
    if (answer instanceof GLayoutAnswer.Refused r) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          name + " (" + bin.goVersion() + "): " + r.reason(),
          "trace a binary with DWARF (not -ldflags=-w), or add its debug file under /usr/lib/debug");
    }
    bin.dwarfProblem().ifPresent(p -> notes.add(new Note.UnreadableDwarf(bin.path().getFileName().toString(), p,
        Optional.empty())));
    Optional<GLayout> g = answer.known();
    boolean goidFromDwarf = answer.fromDwarf();
    return new LaunchPlan(bin.path(), bin.goVersion(), g.get().goid(), goidFromDwarf, layout, sites, notes);
  }

  /**
   * newproc1's inputs and result: from DWARF when it places them (any Go version), otherwise the
   * table row of the binary's Go version, used only once its code agrees ({@link NewprocCode}).
   */
  static NewprocLayout layout(GoBinary bin, long entry, List<Note> notes) throws GoBinaryException {
    String name = bin.path().toString();
    Optional<GoDwarf> dwarf = bin.dwarfFor(List.of(entry));
    if (dwarf.isPresent()) {
      Optional<NewprocLayout> fromDwarf = dwarf.get().function(NEWPROC1)
          .flatMap(sp -> NewprocLayout.fromDwarf(sp, entry, AbiChoice.of(bin)));
      if (fromDwarf.isPresent()) {
        return fromDwarf.get();
      }
      notes.add(new Note.TableInsteadOfDwarf(NEWPROC1));
    }
    Optional<NewprocLayout.Row> row = NewprocLayout.row(bin.goVersion());
    String without = dwarf.isPresent() ? "no usable DWARF for " + NEWPROC1 : "no DWARF";
    if (row.isEmpty()) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          name + " has " + without + " and gotrace does not know the parameters of "
              + NEWPROC1 + " in " + bin.goVersion() + " (known without DWARF: go1." + NewprocLayout.OLDEST_MINOR
              + " to go1." + NewprocLayout.NEWEST_MINOR + ")",
          "trace a build with DWARF (one not linked with -s or -w)");
    }
    Optional<String> disagreement = NewprocCode.disagreement(bin, row.get());
    if (disagreement.isPresent()) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          name + " (" + bin.goVersion() + ") has " + without + " and its code does not match gotrace's table for "
              + NEWPROC1 + ": " + disagreement.get(),
          "trace a build with DWARF (one not linked with -s or -w), and report this binary's Go version");
    }
    return row.get().layout().withSource("table go1." + bin.goVersion().minor() + ", checked against "
        + NewprocCode.CLOSURE);
  }

  private static LaunchSite validated(GoBinary bin, FunctionSites s, int cookie, boolean exit, long at) {
    OptionalLong off = bin.fileOffset(at);
    if (!s.isInstructionBoundary(at) || off.isEmpty()) {
      throw new LaunchPlanException(LaunchPlanException.Kind.UNSUPPORTED,
          NEWPROC1 + ": 0x" + Long.toHexString(at) + " is not a valid instruction start in " + bin.path(),
          "report this binary's Go version");
    }
    return new LaunchSite(cookie, exit, at, off.getAsLong());
  }
}
