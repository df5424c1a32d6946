package dev.gotrace.probes.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.probes.priv.Capabilities;
import dev.gotrace.probes.priv.Capability;
import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.KernelVersion;
import dev.gotrace.probes.priv.MissingPrivilegeException;
import dev.gotrace.probes.priv.UnsupportedFeature;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The attach-mode decision and its one-line messages, for kernels this machine is not. */
class ChooseModeTest {
  private static final FeatureStatus NO_MULTI =
      FeatureStatus.absent(Feature.UPROBE_MULTI, KernelVersion.parse("6.1.0"), "");
  private static final FeatureStatus MULTI = FeatureStatus.present(Feature.UPROBE_MULTI);
  private static final FeatureStatus PMU = FeatureStatus.present(Feature.UPROBE_PMU);
  private static final Capabilities ROOT = new Capabilities(1L << Capability.CAP_SYS_ADMIN.bit());
  private static final Capabilities BPF_PERFMON =
      new Capabilities((1L << Capability.CAP_BPF.bit()) | (1L << Capability.CAP_PERFMON.bit()));

  @Test
  void uprobeMultiWhenAvailableEvenWithoutSysAdmin() {
    assertEquals(Uprobes.Choice.of(AttachMode.UPROBE_MULTI), Uprobes.choose(BPF_PERFMON, MULTI, PMU));
  }

  @Test
  void perfEventsOnOlderKernelsWithTheReason() {
    Uprobes.Choice c = Uprobes.choose(ROOT, NO_MULTI, PMU);
    assertEquals(new Uprobes.Choice(AttachMode.PERF_EVENT, Optional.of(NO_MULTI)), c);
    assertEquals("uprobe_multi links not supported (requires Linux >= 6.6, running 6.1.0)",
        c.fallbackFrom().orElseThrow().message());
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
    FeatureStatus noPmu = FeatureStatus.absent(Feature.UPROBE_PMU);
    UnsupportedFeature e = assertThrows(UnsupportedFeature.class, () -> Uprobes.choose(ROOT, NO_MULTI, noPmu));
    assertEquals(Feature.UPROBE_MULTI, e.feature());
    assertEquals("Linux >= 6.6", e.requires());
    assertEquals(List.of(NO_MULTI, noPmu), e.absent());
    assertEquals("uprobe_multi links not supported (requires Linux >= 6.6, running 6.1.0); uprobe perf"
        + " events not supported (requires Linux >= 4.17 with CONFIG_UPROBE_EVENTS)", e.getMessage());
  }
}
