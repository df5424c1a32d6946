package dev.gotrace.probes.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.probes.priv.Capabilities;
import dev.gotrace.probes.priv.Capability;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.MissingPrivilegeException;
import org.junit.jupiter.api.Test;

/** The attach-mode decision and its one-line messages, for kernels this machine is not. */
class ChooseModeTest {
  private static final String OLD_KERNEL =
      "uprobe_multi links not supported (requires Linux >= 6.6, running 6.1.0); falling back to perf events";
  private static final FeatureStatus NO_MULTI = new FeatureStatus("uprobe_multi", false, OLD_KERNEL);
  private static final FeatureStatus MULTI = new FeatureStatus("uprobe_multi", true, "supported");
  private static final FeatureStatus PMU = new FeatureStatus("uprobe PMU", true, "present");
  private static final Capabilities ROOT = new Capabilities(1L << Capability.CAP_SYS_ADMIN.bit());
  private static final Capabilities BPF_PERFMON =
      new Capabilities((1L << Capability.CAP_BPF.bit()) | (1L << Capability.CAP_PERFMON.bit()));

  @Test
  void uprobeMultiWhenAvailableEvenWithoutSysAdmin() {
    assertEquals(new Uprobes.Choice(AttachMode.UPROBE_MULTI, ""), Uprobes.choose(BPF_PERFMON, MULTI, PMU));
  }

  @Test
  void perfEventsOnOlderKernelsWithTheReason() {
    assertEquals(new Uprobes.Choice(AttachMode.PERF_EVENT, OLD_KERNEL), Uprobes.choose(ROOT, NO_MULTI, PMU));
  }

  @Test
  void perfEventFallbackNeedsSysAdmin() {
    MissingPrivilegeException e = assertThrows(MissingPrivilegeException.class,
        () -> Uprobes.choose(BPF_PERFMON, NO_MULTI, PMU));
    assertEquals("cannot open perf-event uprobes: missing [CAP_SYS_ADMIN] (run as root or grant"
        + " them with setcap)", e.getMessage());
  }

  @Test
  void neitherMechanismSaysBoth() {
    FeatureStatus noPmu = new FeatureStatus("uprobe PMU", false,
        "uprobe perf events not supported (requires Linux >= 4.17 with CONFIG_UPROBE_EVENTS)");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Uprobes.choose(ROOT, NO_MULTI, noPmu));
    assertEquals("uprobe_multi links not supported (requires Linux >= 6.6, running 6.1.0); uprobe perf"
        + " events not supported (requires Linux >= 4.17 with CONFIG_UPROBE_EVENTS)", e.getMessage());
  }
}
