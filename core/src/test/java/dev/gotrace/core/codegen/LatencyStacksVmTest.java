package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.core.stack.FrameStart;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import dev.gotrace.probes.vm.VmHash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code latency --stacks} in the eBPF interpreter: the entry walks the stack and keeps its id in
 * the in-flight value, the exit counts the call in the (function, stack id) row of the keyed map.
 * Staged: g in R14 with g.stack.hi, at each entry SP pointing at the return address (SP delta 0)
 * and BP the caller's frame.
 */
class LatencyStacksVmTest {
  private static final long G = 0xc000002000L, STACK_HI = 0xc000100000L;
  private static final int RSP = Arch.AMD64.stackPointer().ptRegsOffset();
  private static final int RBP = Arch.AMD64.register("rbp").orElseThrow().ptRegsOffset();
  private static final int R14 = Arch.AMD64.gRegister().orElseThrow().ptRegsOffset();
  private static final int RIP = Arch.AMD64.ptRegsPc();
  /** main.leaf's entry probe (function 1), its callers' return addresses, their frames. */
  private static final long LEAF = 0x402010, FROM_A = 0x403055, FROM_B = 0x404066, ROUND = 0x405077,
      BP_A = 0xc0000fff00L, BP_ROUND = 0xc0000fff80L, SP = 0xc0000ffe00L;

  private final LatencyPlan plan = LatencyProgramVmTest.plan(new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow()));
  private final Optional<Unwinding> stacks = Optional.of(new Unwinding(8,
      List.of(new FrameStart.Proven(0), new FrameStart.Proven(0))));
  private final Vm vm = new Vm(LatencySpec.of(plan, 1024, OptionalLong.empty(), false, stacks, true, null).maps());
  private final Program entry = LatencyProgram.entryProbe(plan, OptionalLong.empty(), stacks);
  private final Program exit = LatencyProgram.exitProbe(plan, OptionalLong.empty(), OptionalLong.empty(), false, 0,
      true, true);

  {
    vm.user().putLong(G + 8, STACK_HI);
    // leaf's caller's frame: BP_A -> BP_ROUND -> 0
    vm.user().putLong(BP_A, BP_ROUND).putLong(BP_A + 8, ROUND);
    vm.user().putLong(BP_ROUND, 0).putLong(BP_ROUND + 8, 0x406000);
  }

  private static byte[] regs(long ip, long sp, long bp) {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(RIP, ip).putLong(RSP, sp).putLong(RBP, bp).putLong(R14, G);
    return b.array();
  }

  /** One call of main.leaf from the caller that returns to {@code ret}, lasting {@code ns}. */
  private void call(long ret, long start, long ns) {
    vm.user().putLong(SP, ret);
    vm.run(entry, Call.of(regs(LEAF, SP, BP_A)).withCookie(1).withKtime(start));
    vm.run(exit, Call.of(regs(LEAF + 0x40, SP, BP_A)).withCookie(1).withKtime(start + ns));
  }

  /** The keyed map's rows: stack id → {count, sum}, each key checked to be {function 1, 0, id}. */
  private Map<Long, long[]> rows() {
    Map<Long, long[]> out = new TreeMap<>();
    for (VmHash.Entry e : vm.hash(KeyedAsm.BYKEY).entries()) {
      ByteBuffer k = ByteBuffer.wrap(e.key()).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer v = ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(1, k.getInt(0), "the function");
      assertEquals(0, k.getInt(4));
      out.put(k.getLong(8), new long[] {v.getLong(KeyedAsm.COUNT * 8), v.getLong(KeyedAsm.SUM * 8)});
    }
    return out;
  }

  private long[] stack(long id) {
    byte[] key = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
    ByteBuffer v = ByteBuffer.wrap(vm.hash(StackAsm.STACKS).get(key).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
    return new long[] {v.getLong(0), v.getLong(8), v.getLong(16), v.getLong(24), v.getLong(32), v.getLong(40)};
  }

  @Test
  void callsFromTwoCallersAreCountedPerStackWithTheirTimes() {
    call(FROM_A, 1_000, 300);
    call(FROM_B, 2_000, 500);
    call(FROM_A, 3_000, 700);
    Map<Long, long[]> rows = rows();
    assertEquals(2, rows.size(), "two stacks");
    long fromA = StackAsm.hash(new long[] {StackAsm.END_CHAIN, LEAF, FROM_A, ROUND, 0x406000, 0, 0, 0, 0});
    long fromB = StackAsm.hash(new long[] {StackAsm.END_CHAIN, LEAF, FROM_B, ROUND, 0x406000, 0, 0, 0, 0});
    assertArrayEquals(new long[] {2, 1000}, rows.get(fromA));
    assertArrayEquals(new long[] {1, 500}, rows.get(fromB));
    assertArrayEquals(new long[] {StackAsm.END_CHAIN, LEAF, FROM_A, ROUND, 0x406000, 0}, stack(fromA));
    // the per-function totals are counted as without --stacks
    assertEquals(3, vm.array(LatencyProgram.STATS).u64(1, LatencyProgram.COUNT * 8));
    assertEquals(0, vm.hash(LatencyProgram.INFLIGHT).size());
  }
}
