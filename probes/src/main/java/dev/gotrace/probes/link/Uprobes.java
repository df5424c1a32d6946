package dev.gotrace.probes.link;

import dev.gotrace.probes.priv.Capabilities;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.Requirement;
import dev.gotrace.probes.prog.LoadedProgram;
import java.nio.file.Path;
import java.util.List;

/** Picks the attach mode for this kernel and attaches in it. */
public final class Uprobes {
  private Uprobes() {}

  /** The chosen mode and, when it is the fallback, the one-line reason. */
  public record Choice(AttachMode mode, String note) {}

  /**
   * uprobe_multi when the kernel has it; otherwise perf events, with a note such as
   * "uprobe_multi links not supported (requires Linux >= 6.6); falling back to perf events".
   * Throws MissingPrivilegeException when the chosen mode's capabilities are missing.
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
      return new Choice(AttachMode.UPROBE_MULTI, "");
    }
    Requirement.PERF_EVENT_UPROBE.check(caps);
    if (!pmu.available()) {
      throw new IllegalStateException(multi.message().replace("; falling back to perf events", "")
          + "; " + pmu.message());
    }
    return new Choice(AttachMode.PERF_EVENT, multi.message());
  }

  /** Attaches {@code prog} in the mode it was loaded for; pid 0 = every process. */
  public static UprobeLink attach(LoadedProgram prog, Path binary, List<UprobeSite> sites, int pid) {
    return switch (prog.attachType()) {
      case UPROBE_MULTI -> UprobeMultiLink.attach(prog, binary, sites, pid);
      case PERF_EVENT -> PerfEventUprobes.attach(prog, binary, sites, pid);
    };
  }
}
