package dev.gotrace.probes.link;

import dev.gotrace.probes.priv.Capabilities;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.Requirement;
import dev.gotrace.probes.priv.UnsupportedFeature;
import dev.gotrace.probes.prog.LoadedProgram;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Picks the attach mode for this kernel and attaches in it. */
public final class Uprobes {
  private Uprobes() {}

  /**
   * The chosen mode and, when it is the perf-event fallback, the status of the feature that is
   * missing (uprobe_multi links).
   */
  public record Choice(AttachMode mode, Optional<FeatureStatus> fallbackFrom) {
    public static Choice of(AttachMode mode) {
      return new Choice(mode, Optional.empty());
    }
  }

  /**
   * uprobe_multi when the kernel has it; otherwise perf events, saying which feature is missing.
   * Throws MissingPrivilegeException when the chosen mode's capabilities are missing, and
   * {@link UnsupportedFeature} when the kernel has neither mechanism.
   */
  public static Choice choose() {
    Capabilities caps = Capabilities.effective();
    Requirement.LOAD_PROGRAM.check(caps);
    FeatureStatus multi = Features.uprobeMulti();
    return choose(caps, multi, multi.available() ? multi : Features.uprobePmu());
  }

  /** The decision of {@link #choose()} from given facts. */
  static Choice choose(Capabilities caps, FeatureStatus multi, FeatureStatus pmu) {
    if (multi.available()) {
      return Choice.of(AttachMode.UPROBE_MULTI);
    }
    Requirement.PERF_EVENT_UPROBE.check(caps);
    if (!pmu.available()) {
      throw new UnsupportedFeature(multi, pmu);
    }
    return new Choice(AttachMode.PERF_EVENT, Optional.of(multi));
  }

  /** Attaches {@code prog} in the mode it was loaded for; pid 0 = every process. */
  public static UprobeLink attach(LoadedProgram prog, Path binary, List<UprobeSite> sites, int pid) {
    return switch (prog.attachType()) {
      case UPROBE_MULTI -> UprobeMultiLink.attach(prog, binary, sites, pid);
      case PERF_EVENT -> PerfEventUprobes.attach(prog, binary, sites, pid);
    };
  }
}
