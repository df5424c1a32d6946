package dev.gotrace.probes.priv;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an operation needs. Loading a kprobe-type program needs CAP_BPF and CAP_PERFMON (or
 * CAP_SYS_ADMIN before 5.8); a uprobe_multi link needs nothing more; a perf-event uprobe needs
 * CAP_SYS_ADMIN since the CVE-2025-38466 fix (6.16-rc5, backported to the stable series).
 */
public enum Requirement {
  LOAD_PROGRAM("load eBPF programs", EnumSet.of(Capability.CAP_BPF, Capability.CAP_PERFMON)),
  UPROBE_MULTI_LINK("attach uprobe_multi links", EnumSet.of(Capability.CAP_BPF, Capability.CAP_PERFMON)),
  PERF_EVENT_UPROBE("open perf-event uprobes", EnumSet.of(Capability.CAP_SYS_ADMIN));

  private final String action;
  private final Set<Capability> caps;

  Requirement(String action, Set<Capability> caps) {
    this.action = action;
    this.caps = caps;
  }

  public Set<Capability> capabilities() {
    return caps;
  }

  /**
   * Throws a {@link MissingPrivilegeException} naming the missing capabilities; CAP_SYS_ADMIN
   * stands in for CAP_BPF and CAP_PERFMON, as the kernel allows.
   */
  public void check(Capabilities have) {
    if (have.has(Capability.CAP_SYS_ADMIN)) {
      return;
    }
    Set<Capability> missing = have.missing(caps);
    if (!missing.isEmpty()) {
      throw new MissingPrivilegeException("cannot " + action + ": missing " + missing
          + " (run as root or grant them with setcap)");
    }
  }
}
