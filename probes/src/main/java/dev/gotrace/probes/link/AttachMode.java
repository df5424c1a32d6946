package dev.gotrace.probes.link;

import dev.gotrace.probes.prog.AttachType;

/** How uprobes are attached; each needs its programs loaded with the matching attach type. */
public enum AttachMode {
  UPROBE_MULTI(AttachType.UPROBE_MULTI), PERF_EVENT(AttachType.PERF_EVENT);

  private final AttachType attachType;

  AttachMode(AttachType attachType) {
    this.attachType = attachType;
  }

  /** The attach type to load programs with for this mode. */
  public AttachType attachType() {
    return attachType;
  }
}
