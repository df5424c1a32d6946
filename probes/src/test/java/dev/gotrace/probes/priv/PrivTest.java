package dev.gotrace.probes.priv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.link.AttachMode;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.testdata.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FdLeakCheck.class)
class PrivTest {
  @Test
  void kernelReleasesParseAndCompare() {
    KernelVersion k = KernelVersion.parse("6.18.44-fc-v657");
    assertEquals(new KernelVersion(6, 18, 44), k);
    assertTrue(k.atLeast(6, 6));
    assertTrue(!KernelVersion.parse("6.1").atLeast(6, 6));
    assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("linux"));
  }

  @Test
  void missingCapabilitiesAreNamedInOneLine() {
    Capabilities none = new Capabilities(0);
    MissingPrivilegeException e = assertThrows(MissingPrivilegeException.class,
        () -> Requirement.PERF_EVENT_UPROBE.check(none));
    assertEquals("cannot open perf-event uprobes: missing [CAP_SYS_ADMIN] (run as root or grant"
        + " them with setcap)", e.getMessage());
    Capabilities bpfOnly = new Capabilities(1L << Capability.CAP_BPF.bit());
    e = assertThrows(MissingPrivilegeException.class, () -> Requirement.LOAD_PROGRAM.check(bpfOnly));
    assertTrue(e.getMessage().contains("missing [CAP_PERFMON]"), e.getMessage());
    Requirement.LOAD_PROGRAM.check(new Capabilities(1L << Capability.CAP_SYS_ADMIN.bit()));
  }

  @Test
  void thisKernelHasUprobeMultiAndItIsChosen() {
    TestBinaries.requireRoot();
    assertTrue(Capabilities.effective().has(Capability.CAP_BPF));
    FeatureStatus s = Features.uprobeMulti();
    assertTrue(s.available(), s.message());
    assertTrue(Features.uprobePmu().available());
    assertTrue(Features.vmlinuxBtf().available());
    assertTrue(Features.ringBuffer().available());
    assertEquals(AttachMode.UPROBE_MULTI, Uprobes.choose().mode());
  }
}
