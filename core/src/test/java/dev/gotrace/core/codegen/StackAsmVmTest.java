package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.core.stack.FrameStart;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.vm.Call;
import dev.gotrace.probes.vm.Vm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame-pointer walk runs in the eBPF interpreter over staged goroutine stacks: pt_regs (ip,
 * SP, BP) and the words of each frame in the process's memory, laid out as Go's amd64 prologue
 * leaves them (the return address at entry SP, the caller's BP at entry SP - 8). What is checked
 * is what the decoder reads: the stack map's value under the id the program returns.
 */
class StackAsmVmTest {
  private static final int RSP = Arch.AMD64.stackPointer().ptRegsOffset();
  private static final int RBP = Arch.AMD64.register("rbp").orElseThrow().ptRegsOffset();
  private static final int RIP = Arch.AMD64.ptRegsPc();
  private static final long IP = 0x4a1010, RET1 = 0x4a2055, RET2 = 0x4a3077, RET3 = 0x4a4099;
  /** The caller's frame (its BP points here) and its caller's. */
  private static final long BP1 = 0xc000050f80L, BP2 = 0xc000050fc0L;

  /** Cookie = site index; the walk; R0 = the id. */
  private static Program program(List<FrameStart> sites, int depth) {
    return Program.builder()
        .add(Insn.mov64(Reg.R6, Reg.R1), Insn.call(Helper.GET_ATTACH_COOKIE), Insn.mov64(Reg.R7, Reg.R0))
        .addAll(StackAsm.walk(sites, depth, Reg.R7, Reg.R8, -8, "s_"))
        .add(Insn.mov64(Reg.R0, Reg.R8), Insn.exit())
        .build();
  }

  private static byte[] regs(long ip, long sp, long bp) {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(RIP, ip).putLong(RSP, sp).putLong(RBP, bp);
    return b.array();
  }

  /** A machine whose maps are those of the depth the test's programs walk. */
  private Vm vm = new Vm(StackAsm.maps(8, 64));

  /** The two frames above the probed function's caller: BP1 -> BP2 -> 0. */
  private void callers() {
    vm.user().putLong(BP1, BP2).putLong(BP1 + 8, RET2);
    vm.user().putLong(BP2, 0).putLong(BP2 + 8, RET3);
  }

  /** The stack value under {@code id}, as u64 words. */
  private long[] value(long id) {
    byte[] key = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
    byte[] v = vm.hash(StackAsm.STACKS).get(key).orElseThrow(() -> new AssertionError("no stack " + id));
    ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[v.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong();
    }
    return out;
  }

  private static long[] words(int end, long... pcs) {
    long[] w = new long[StackAsm.valueWords(8)];
    w[0] = end;
    System.arraycopy(pcs, 0, w, 1, pcs.length);
    return w;
  }

  private long run(Program p, long site, long ip, long sp, long bp) {
    return vm.run(p, Call.of(regs(ip, sp, bp)).withCookie(site)).r0();
  }

  @Test
  void atAnEntryTheCallerIsAtSpAndBpIsTheCallers() {
    long sp = 0xc000050f40L;
    vm.user().putLong(sp, RET1);
    callers();
    long id = run(program(List.of(new FrameStart.Proven(0)), 8), 0, IP, sp, BP1);
    long[] expected = words(StackAsm.END_CHAIN, IP, RET1, RET2, RET3);
    assertArrayEquals(expected, value(id));
    assertEquals(StackAsm.hash(expected), id, "the id is the hash of the value");
  }

  @Test
  void insideAFrameTheCallersBpIsTheWordBpPointsAt() {
    long sp = 0xc000050f00L; // 0x28 below the entry SP: BP = SP + 0x20 is this frame's
    vm.user().putLong(sp + 0x28, RET1).putLong(sp + 0x20, BP1);
    callers();
    long id = run(program(List.of(new FrameStart.Proven(0x28)), 8), 0, IP, sp, sp + 0x20);
    assertArrayEquals(words(StackAsm.END_CHAIN, IP, RET1, RET2, RET3), value(id));
  }

  @Test
  void inThePrologueBeforeBpIsSetTheRegisterIsStillTheCallers() {
    long sp = 0xc000050f38L; // after PUSHQ BP, before MOVQ SP, BP: d = 8
    vm.user().putLong(sp + 8, RET1).putLong(sp, BP1);
    callers();
    long id = run(program(List.of(new FrameStart.Proven(8)), 8), 0, IP, sp, BP1);
    assertArrayEquals(words(StackAsm.END_CHAIN, IP, RET1, RET2, RET3), value(id));
  }

  @Test
  void theDepthCutsTheWalkAndSaysSo() {
    vm = new Vm(StackAsm.maps(3, 64));
    long sp = 0xc000050f40L;
    vm.user().putLong(sp, RET1);
    callers();
    long id = run(program(List.of(new FrameStart.Proven(0)), 3), 0, IP, sp, BP1);
    long[] v = value(id);
    assertEquals(StackAsm.valueWords(3), v.length);
    assertArrayEquals(new long[] {StackAsm.END_DEPTH, IP, RET1, RET2}, v);
    Vm one = new Vm(StackAsm.maps(1, 4));
    long id1 = one.run(program(List.of(new FrameStart.Proven(0)), 1), Call.of(regs(IP, sp, BP1))).r0();
    assertEquals(StackAsm.hash(new long[] {StackAsm.END_DEPTH, IP}), id1);
  }

  @Test
  void aFramePointerIntoUnmappedMemoryEndsTheWalkAsUnreadable() {
    long sp = 0xc000050f40L;
    vm.user().putLong(sp, RET1);
    vm.user().putLong(BP1, 0xdead0000L).putLong(BP1 + 8, RET2);
    long id = run(program(List.of(new FrameStart.Proven(0)), 8), 0, IP, sp, BP1);
    assertArrayEquals(words(StackAsm.END_UNREADABLE, IP, RET1, RET2), value(id));
    long bad = run(program(List.of(new FrameStart.Proven(0)), 8), 0, IP, 0xdeadbeef00L, BP1);
    assertArrayEquals(words(StackAsm.END_UNREADABLE, IP), value(bad), "no return address at SP");
  }

  @Test
  void anUnprovenSiteKeepsTheProbedFrameAlone() {
    long sp = 0xc000050f40L;
    vm.user().putLong(sp, RET1);
    callers();
    Program p = program(List.of(new FrameStart.Proven(0), new FrameStart.Unproven("asm")), 8);
    assertArrayEquals(words(StackAsm.END_UNPROVEN, IP), value(run(p, 1, IP, sp, BP1)));
    assertArrayEquals(words(StackAsm.END_UNPROVEN, IP), value(run(p, 7, IP, sp, BP1)), "an index past the sites");
    assertArrayEquals(words(StackAsm.END_CHAIN, IP, RET1, RET2, RET3), value(run(p, 0, IP, sp, BP1)));
  }

  @Test
  void eachSiteStartsFromItsOwnSpDelta() {
    List<FrameStart> sites = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // runs of equal deltas, and lone ones: every branch of the search
      sites.add(i % 7 == 3 ? new FrameStart.Unproven("x") : new FrameStart.Proven(8 * (i / 3)));
    }
    vm = new Vm(StackAsm.maps(4, 64));
    Program p = program(sites, 4);
    for (int i = 0; i < sites.size(); i++) {
      long sp = 0xc000040000L + i * 0x1000L;
      if (sites.get(i) instanceof FrameStart.Proven d) {
        vm.user().putLong(sp + d.spDelta(), RET1 + i);
        long[] v = value(run(p, i, IP, sp, 0));
        assertArrayEquals(new long[] {StackAsm.END_CHAIN, IP, RET1 + i, 0, 0}, v, "site " + i);
      } else {
        assertArrayEquals(new long[] {StackAsm.END_UNPROVEN, IP, 0, 0, 0}, value(run(p, i, IP, sp, 0)));
      }
    }
  }

  @Test
  void equalStacksShareOneIdAndAFullMapGivesIdZero() {
    long sp = 0xc000050f40L;
    vm.user().putLong(sp, RET1);
    callers();
    Program p = program(List.of(new FrameStart.Proven(0)), 8);
    long a = run(p, 0, IP, sp, BP1);
    assertEquals(a, run(p, 0, IP, sp, BP1));
    assertEquals(1, vm.hash(StackAsm.STACKS).size());
    Vm small = new Vm(List.of(MapSpec.hash(StackAsm.STACKS, 8, StackAsm.valueWords(8) * 8, 1),
        StackAsm.maps(8, 1).get(1)));
    small.user().putLong(sp, RET1);
    long first = small.run(p, Call.of(regs(IP, sp, 0))).r0();
    long again = small.run(p, Call.of(regs(IP, sp, 0))).r0();
    long other = small.run(p, Call.of(regs(IP + 1, sp, 0))).r0();
    assertEquals(first, again, "a stack already in the full map keeps its id");
    assertEquals(0, other, "a new stack in a full map");
  }

  @Test
  void theWorkRegisterMustBeCalleeSaved() {
    assertThrows(IllegalArgumentException.class,
        () -> StackAsm.walk(List.of(), 8, Reg.R7, Reg.R3, -8, "s_"));
    assertThrows(IllegalArgumentException.class,
        () -> StackAsm.walk(List.of(), 128, Reg.R7, Reg.R8, -8, "s_"));
  }
}
