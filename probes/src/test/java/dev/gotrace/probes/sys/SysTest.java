package dev.gotrace.probes.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.testdata.TestBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FdLeakCheck.class)
class SysTest {
  @Test
  void errnoNamesAreSymbolic() {
    assertEquals("EPERM", Errno.nameOf(1));
    assertEquals("E2BIG", Errno.nameOf(7));
    assertEquals("ENOSPC", Errno.nameOf(28));
    assertEquals("ENOTSUPP", Errno.nameOf(524));
    assertEquals("errno 9999", Errno.nameOf(9999));
    SyscallException e = new SyscallException("bpf", "BPF_LINK_CREATE", 9, "uprobe_multi link");
    assertEquals("bpf(BPF_LINK_CREATE) failed: EBADF (uprobe_multi link)", e.getMessage());
  }

  @Test
  void oversizedAttrTailIsE2big() {
    TestBinaries.requireRoot();
    // A non-zero byte past the kernel's union bpf_attr: E2BIG (kernel.md §1).
    Attr a = new Attr(Bpf.ATTR_SIZE + 8).u32(0, 2).u32(4, 4).u32(8, 8).u32(12, 1)
        .u64(Bpf.ATTR_SIZE, 1);
    SyscallException e = assertThrows(SyscallException.class,
        () -> Bpf.callFd(BpfCmd.BPF_MAP_CREATE, a, "oversized attr").close());
    assertEquals("E2BIG", e.errnoName());
    assertTrue(e.getMessage().startsWith("bpf(BPF_MAP_CREATE) failed: E2BIG"), e.getMessage());
  }

  @Test
  void fdsAreClosedOnceAndRefuseUseAfterClose() {
    TestBinaries.requireRoot();
    BpfMap m = BpfMap.create(MapSpec.array("x", 8, 1));
    Fd fd = m.fd();
    m.close();
    m.close();
    assertTrue(fd.isClosed());
    assertThrows(IllegalStateException.class, fd::get);
  }

  @Test
  void leakCheckSnapshotSeesKernelObjects() {
    TestBinaries.requireRoot();
    BpfMap m = BpfMap.create(MapSpec.array("leak", 8, 1));
    int n = m.fd().get();
    assertEquals("anon_inode:bpf-map", FdLeakCheck.snapshot().get(n));
    m.close();
    assertNotEquals("anon_inode:bpf-map", FdLeakCheck.snapshot().get(n));
  }
}
