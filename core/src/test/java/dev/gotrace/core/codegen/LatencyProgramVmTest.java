package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The latency programs run in the eBPF interpreter on staged probe hits: pt_regs with g (R14, or
 * thread-local through the task's fsbase) and SP, g.stack.hi in the process's memory, the attach
 * cookie and the clock. What a user sees afterwards is the histogram bucket and the stats the
 * programs leave in the maps, as {@code LatencySpec} creates them.
 */
class LatencyProgramVmTest {
  private static final long G = 0xc000002000L, STACK_HI = 0xc000100000L, TASK = 0xffff888012340000L,
      FSBASE = 0x7f0000001000L;
  private static final int FSBASE_OFFSET = 3128;
  private static final int RSP = Arch.AMD64.stackPointer().ptRegsOffset();
  private static final int R14 = Arch.AMD64.gRegister().orElseThrow().ptRegsOffset();

  static LatencyPlan plan(GAccess g) {
    return new LatencyPlan(Path.of("/bin/workload"), g, 8, 152, List.of(
        function(0, "main.recurse", 0x1010), function(1, "main.hot", 0x2010)), List.of());
  }

  private static LatencyPlan.Function function(int i, String name, long at) {
    return new LatencyPlan.Function(i, name, new LatencyPlan.Site(0x400000 + at, at),
        List.of(new LatencyPlan.Exit(new LatencyPlan.Site(0x400000 + at + 0x70, at + 0x70), ExitSite.Kind.RET)));
  }

  private static byte[] ptRegs(long sp, long r14) {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(RSP, sp);
    b.putLong(R14, r14);
    return b.array();
  }

  private final LatencyPlan registers = plan(new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow()));
  private final Vm vm = new Vm(LatencySpec.of(registers, 1024, OptionalLong.empty(), false).maps());
  private final Program entry = LatencyProgram.entryProbe(registers, OptionalLong.empty());
  private final Program exit = LatencyProgram.exitProbe(registers, OptionalLong.empty());

  {
    vm.user().putLong(G + 8, STACK_HI);
  }

  private long hist(int fn, int bucket) {
    return vm.array(LatencyProgram.HIST).u64(fn * LatencyProgram.BUCKETS + bucket, 0);
  }

  private long stat(int fn, int slot) {
    return vm.array(LatencyProgram.STATS).u64(fn, slot * 8);
  }

  private long histTotal(int fn) {
    long n = 0;
    for (int b = 0; b < LatencyProgram.BUCKETS; b++) {
      n += hist(fn, b);
    }
    return n;
  }

  @Test
  void oneCallLandsInItsLog2Bucket() {
    long sp = 0xc0000ff000L;
    vm.run(entry, Call.of(ptRegs(sp, G)).withCookie(1).withKtime(1_000_000));
    assertEquals(1, vm.hash(LatencyProgram.INFLIGHT).size(), "the entry is in flight");
    vm.run(exit, Call.of(ptRegs(sp, G)).withCookie(1).withKtime(1_005_000));
    // 5000 ns: 4096 <= 5000 < 8192, bucket 12 of main.hot (function 1)
    assertEquals(1, hist(1, 12));
    assertEquals(1, histTotal(1));
    assertEquals(0, histTotal(0));
    assertEquals(1, stat(1, LatencyProgram.COUNT));
    assertEquals(5000, stat(1, LatencyProgram.SUM));
    assertEquals(5000, stat(1, LatencyProgram.MAX));
    assertEquals(5000, stat(1, LatencyProgram.MIN));
    assertEquals(0, stat(1, LatencyProgram.UNMATCHED));
    assertEquals(0, vm.hash(LatencyProgram.INFLIGHT).size(), "the exit deleted it");
  }

  @Test
  void recursiveCallsMatchByDepthAndKeepMinAndMax() {
    long outer = 0xc0000ff000L, inner = 0xc0000fe000L;
    vm.run(entry, Call.of(ptRegs(outer, G)).withCookie(0).withKtime(1_000));
    vm.run(entry, Call.of(ptRegs(inner, G)).withCookie(0).withKtime(2_000));
    vm.run(exit, Call.of(ptRegs(inner, G)).withCookie(0).withKtime(2_300));
    vm.run(exit, Call.of(ptRegs(outer, G)).withCookie(0).withKtime(71_000));
    assertEquals(1, hist(0, 8), "300 ns");
    assertEquals(1, hist(0, 16), "70000 ns");
    assertEquals(2, stat(0, LatencyProgram.COUNT));
    assertEquals(70_300, stat(0, LatencyProgram.SUM));
    assertEquals(70_000, stat(0, LatencyProgram.MAX));
    assertEquals(300, stat(0, LatencyProgram.MIN));
  }

  @Test
  void anExitWithoutItsEntryIsUnmatchedAndAnUnexitedFrameIsCounted() {
    vm.run(exit, Call.of(ptRegs(0xc0000ff000L, G)).withCookie(1).withKtime(10));
    assertEquals(1, stat(1, LatencyProgram.UNMATCHED));
    assertEquals(0, histTotal(1));
    vm.run(entry, Call.of(ptRegs(0xc0000ff000L, G)).withCookie(0).withKtime(10));
    vm.run(entry, Call.of(ptRegs(0xc0000ff000L, G)).withCookie(0).withKtime(20));
    assertEquals(1, stat(0, LatencyProgram.UNEXITED), "the same key again: the first frame never exited");
  }

  @Test
  void aGoroutineWhoseStackCannotBeReadIsNotTimed() {
    long otherG = 0xc000009000L;
    vm.run(entry, Call.of(ptRegs(0xc0000ff000L, otherG)).withCookie(1).withKtime(10));
    assertEquals(0, vm.hash(LatencyProgram.INFLIGHT).size(), "g.stack.hi unreadable: no key");
    vm.run(entry, Call.of(ptRegs(0xc0000ff000L, 0)).withCookie(1).withKtime(10));
    assertEquals(0, vm.hash(LatencyProgram.INFLIGHT).size(), "no g");
  }

  @Test
  void threadLocalGThroughTheTaskFsbase() {
    LatencyPlan tls = plan(new GAccess.ThreadLocal(-8));
    Program in = LatencyProgram.entryProbe(tls, OptionalLong.of(FSBASE_OFFSET));
    Program out = LatencyProgram.exitProbe(tls, OptionalLong.of(FSBASE_OFFSET));
    vm.kernel().putLong(TASK + FSBASE_OFFSET, FSBASE);
    vm.user().putLong(FSBASE - 8, G);
    long sp = 0xc0000ff000L;
    vm.run(in, Call.of(ptRegs(sp, 0)).withCookie(1).withKtime(1_000).withCurrentTask(TASK));
    vm.run(out, Call.of(ptRegs(sp, 0)).withCookie(1).withKtime(1_000 + (1 << 20)).withCurrentTask(TASK));
    assertEquals(1, hist(1, 20));
    assertEquals(1, stat(1, LatencyProgram.COUNT));
    // a task whose fsbase the kernel read cannot reach: the call is not timed
    vm.run(in, Call.of(ptRegs(sp, 0)).withCookie(1).withKtime(1_000).withCurrentTask(TASK + 64));
    assertTrue(vm.hash(LatencyProgram.INFLIGHT).size() == 0);
  }
}
