package dev.gotrace.core.plan;

import dev.gotrace.probes.priv.FeatureStatus;

/**
 * Something the user should know that does not stop tracing, as a value: planners and the attach
 * step produce notes, later stages decide by their kind, and only the CLI turns them into text.
 */
public sealed interface Note {
  /** The function the note is about, or empty when it is about the whole trace. */
  default String function() {
    return "";
  }

  /** Probes are attached one perf event per site because {@code missing} (uprobe_multi links) is absent. */
  record PerfEventFallback(FeatureStatus missing) implements Note {}
}
