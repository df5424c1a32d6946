package dev.gotrace.probes.vm;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.atomicCmpxchg;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The context, the stack, user and kernel memory, atomics, and what the verifier would refuse:
 * each refusal names the instruction.
 */
class VmMemoryTest {
  static Program prog(Item... items) {
    List<Item> all = new ArrayList<>(List.of(items));
    all.add(exit());
    return new Program(all);
  }

  static byte[] ptRegs(long... words) {
    ByteBuffer b = ByteBuffer.allocate(168).order(ByteOrder.LITTLE_ENDIAN);
    for (long w : words) {
      b.putLong(w);
    }
    return b.array();
  }

  private static long run(Vm vm, Item... items) {
    return vm.run(prog(items), Call.of(ptRegs(11, 22, 33))).r0();
  }

  private static VmException refused(Item... items) {
    return assertThrows(VmException.class, () -> run(new Vm(List.of()), items));
  }

  @Test
  void contextIsReadInAllSizes() {
    Vm vm = new Vm(List.of());
    byte[] regs = ptRegs(0x1122334455667788L, -2);
    assertEquals(0x1122334455667788L, vm.run(prog(ldx(Size.DW, Reg.R0, Reg.R1, 0)), Call.of(regs)).r0());
    assertEquals(0x55667788L, vm.run(prog(ldx(Size.W, Reg.R0, Reg.R1, 0)), Call.of(regs)).r0());
    assertEquals(0x7788L, vm.run(prog(ldx(Size.H, Reg.R0, Reg.R1, 0)), Call.of(regs)).r0());
    assertEquals(0x66L, vm.run(prog(ldx(Size.B, Reg.R0, Reg.R1, 2)), Call.of(regs)).r0());
    // LDX MEMSX (version 4): sign-extending
    assertEquals(-2L, vm.run(prog(Insn.raw(Insn.LDX | 0x00 | 0x80, 0, 1, 8, 0)), Call.of(regs)).r0());
  }

  @Test
  void stackStoresAndLoads() {
    Vm vm = new Vm(List.of());
    assertEquals(0xffffffffL, run(vm, st(Size.W, Reg.R10, -8, -1), ldx(Size.W, Reg.R0, Reg.R10, -8)));
    assertEquals(-1L, run(vm, st(Size.DW, Reg.R10, -8, -1), ldx(Size.DW, Reg.R0, Reg.R10, -8)));
    assertEquals(0xab00L, run(vm, st(Size.DW, Reg.R10, -16, 0), st(Size.B, Reg.R10, -15, 0xab),
        ldx(Size.H, Reg.R0, Reg.R10, -16)));
    assertEquals(22L, run(vm, ldx(Size.DW, Reg.R2, Reg.R1, 8), stx(Size.DW, Reg.R10, -512, Reg.R2),
        ldx(Size.DW, Reg.R0, Reg.R10, -512)));
  }

  @Test
  void eachStackRunStartsUninitialised() {
    Vm vm = new Vm(List.of());
    run(vm, st(Size.DW, Reg.R10, -8, 7), mov64(Reg.R0, 0));
    VmException e = assertThrows(VmException.class, () -> run(vm, ldx(Size.DW, Reg.R0, Reg.R10, -8)));
    assertTrue(e.getMessage().contains("fp-8 was never written"), e.getMessage());
    assertEquals(0, e.pc());
  }

  @Test
  void refusals() {
    VmException e = refused(mov64(Reg.R0, 0), ldx(Size.DW, Reg.R0, Reg.R10, -520));
    assertEquals(1, e.pc());
    assertTrue(e.getMessage().startsWith("insn 1: read of 8 bytes at 0x"), e.getMessage());
    assertTrue(e.getMessage().contains("r0 = *(u64 *)(r10 -520)"), "names the instruction: " + e.getMessage());
    e = refused(ldx(Size.DW, Reg.R0, Reg.R10, 0));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
    e = refused(ldx(Size.DW, Reg.R0, Reg.R1, 164));
    assertTrue(e.getMessage().contains("ctx+164 passes the end of the context (168 bytes)"), e.getMessage());
    e = refused(st(Size.DW, Reg.R1, 0, 1), mov64(Reg.R0, 0));
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    e = refused(mov64(Reg.R2, 0), ldx(Size.B, Reg.R0, Reg.R2, 0));
    assertTrue(e.getMessage().contains("null pointer"), e.getMessage());
    e = refused(ldx(Size.B, Reg.R0, Reg.R3, 0));
    assertTrue(e.getMessage().contains("r3 is read before it is written"), e.getMessage());
    e = refused(mov64(Reg.R7, 1));
    assertTrue(e.getMessage().contains("r0 is read before"), "exit without R0: " + e.getMessage());
    e = refused(mov64(Reg.R10, 1));
    assertTrue(e.getMessage().contains("r10 is read-only"), e.getMessage());
    assertEquals(0, e.pc());
    e = refused(mov64(Reg.R0, 1), Insn.alu64(dev.gotrace.probes.asm.AluOp.LSH, Reg.R0, 64));
    assertTrue(e.getMessage().contains("invalid shift"), e.getMessage());
    e = refused(mov64(Reg.R0, 1), Insn.alu64(dev.gotrace.probes.asm.AluOp.DIV, Reg.R0, 0));
    assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    e = assertThrows(VmException.class, () -> new Vm(List.of()).run(Program.of(mov64(Reg.R0, 0)),
        Call.of(new byte[0])));
    assertTrue(e.getMessage().contains("neither exit nor a jump"), e.getMessage());
    e = refused(mov64(Reg.R0, 0), Insn.raw(Insn.JMP, 0, 0, 5, 0));
    assertTrue(e.getMessage().contains("jump out of the program"), e.getMessage());
    e = refused(Insn.raw(Insn.JMP, 0, 0, 1, 0), ldImm64(Reg.R0, 1));
    assertTrue(e.getMessage().contains("middle of an ld_imm64"), e.getMessage());
    e = refused(mov64(Reg.R0, 0), exit(), mov64(Reg.R0, 1));
    assertEquals(2, e.pc());
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    e = refused(Insn.ldMap(Reg.R1, "nosuch"), mov64(Reg.R0, 0));
    assertTrue(e.getMessage().contains("map 'nosuch'"), e.getMessage());
  }

  @Test
  void stepLimitStopsALoop() {
    Vm vm = new Vm(List.of()).stepLimit(1000);
    VmException e = assertThrows(VmException.class,
        () -> vm.run(Program.of(mov64(Reg.R0, 0), new Label("l"), add64(Reg.R0, 1), ja("l")), Call.of(new byte[0])));
    assertTrue(e.getMessage().contains("step limit of 1000"), e.getMessage());
  }

  @Test
  void probeReadUserCopiesOrFaultsWithZeroFill() {
    Vm vm = new Vm(List.of());
    vm.user().putLong(0xc000010000L, 0x0102030405060708L).putInt(0xc000010008L, 0x0a0b0c0d);
    Item[] read12 = {
        st(Size.DW, Reg.R10, -16, -1), st(Size.DW, Reg.R10, -8, -1),
        mov64(Reg.R1, Reg.R10), add64(Reg.R1, -16), mov64(Reg.R2, 12), ldImm64(Reg.R3, 0xc000010000L),
        call(Helper.PROBE_READ_USER), stx(Size.DW, Reg.R10, -24, Reg.R0)};
    List<Item> body = new ArrayList<>(List.of(read12));
    body.add(ldx(Size.DW, Reg.R0, Reg.R10, -16));
    assertEquals(0x0102030405060708L, run(vm, body.toArray(Item[]::new)));
    body.set(body.size() - 1, ldx(Size.DW, Reg.R0, Reg.R10, -8));
    assertEquals(0xffffffff0a0b0c0dL, run(vm, body.toArray(Item[]::new)), "12 bytes copied, the rest untouched");
    body.set(body.size() - 1, ldx(Size.DW, Reg.R0, Reg.R10, -24));
    assertEquals(0L, run(vm, body.toArray(Item[]::new)));
    vm.user().remove(0xc00001000bL, 1);
    assertEquals(-14L, run(vm, body.toArray(Item[]::new)), "one missing byte: -EFAULT");
    body.set(body.size() - 1, ldx(Size.DW, Reg.R0, Reg.R10, -16));
    assertEquals(0L, run(vm, body.toArray(Item[]::new)), "and the destination zeroed");
    // the kernel's memory is another space: user memory is not readable through it
    body.set(6, call(Helper.PROBE_READ_KERNEL));
    body.set(body.size() - 1, ldx(Size.DW, Reg.R0, Reg.R10, -24));
    assertEquals(-14L, run(vm, body.toArray(Item[]::new)));
    vm.kernel().put(0xc000010000L, new byte[12]);
    assertEquals(0L, run(vm, body.toArray(Item[]::new)));
  }

  @Test
  void probeReadIntoTheContextIsRefused() {
    VmException e = refused(mov64(Reg.R2, 8), ldImm64(Reg.R3, 0xc000010000L), call(Helper.PROBE_READ_USER));
    assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    assertEquals(3, e.pc());
  }

  @Test
  void probeReadUserStrStopsAtNul() {
    Vm vm = new Vm(List.of());
    vm.user().put(0x1000, new byte[] {'h', 'i', 0, 'x'});
    VmException e = assertThrows(VmException.class, () -> run(vm, mov64(Reg.R1, Reg.R10), add64(Reg.R1, -8),
        mov64(Reg.R2, 8), mov64(Reg.R3, 0x1000), call(Helper.PROBE_READ_USER_STR), ldx(Size.W, Reg.R0, Reg.R10, -8)));
    assertTrue(e.getMessage().contains("fp-5 was never written"), "the tail is not padded: " + e.getMessage());
    long r = run(vm, st(Size.DW, Reg.R10, -8, 0), mov64(Reg.R1, Reg.R10), add64(Reg.R1, -8), mov64(Reg.R2, 8),
        mov64(Reg.R3, 0x1000),
        call(Helper.PROBE_READ_USER_STR), stx(Size.DW, Reg.R10, -16, Reg.R0), ldx(Size.W, Reg.R0, Reg.R10, -8),
        ldx(Size.DW, Reg.R1, Reg.R10, -16), Insn.alu64(dev.gotrace.probes.asm.AluOp.LSH, Reg.R1, 32),
        Insn.alu64(dev.gotrace.probes.asm.AluOp.OR, Reg.R0, Reg.R1));
    assertEquals(3L << 32 | 0x6968L, r, "3 bytes with the NUL; 'h' 'i' NUL, and 'x' never copied");
  }

  @Test
  void kernelValuesComeFromTheCall() {
    Vm vm = new Vm(List.of());
    Call c = Call.of(ptRegs()).withCookie(7).withKtime(123).withPidTgid(42L << 32 | 43).withCurrentTask(0xffff8880L);
    assertEquals(7L, vm.run(prog(call(Helper.GET_ATTACH_COOKIE)), c).r0());
    assertEquals(123L, vm.run(prog(call(Helper.KTIME_GET_NS)), c).r0());
    assertEquals(42L << 32 | 43, vm.run(prog(call(Helper.GET_CURRENT_PID_TGID)), c).r0());
    assertEquals(0xffff8880L, vm.run(prog(call(Helper.GET_CURRENT_TASK)), c).r0());
    VmException e = assertThrows(VmException.class, () -> vm.run(prog(mov64(Reg.R1, Reg.R10),
        call(Helper.GET_ATTACH_COOKIE)), c));
    assertTrue(e.getMessage().contains("not the context"), e.getMessage());
    e = assertThrows(VmException.class, () -> vm.run(prog(call(Helper.KTIME_GET_NS), mov64(Reg.R0, Reg.R1)), c));
    assertTrue(e.getMessage().contains("r1 is read before"), "a call clobbers R1-R5: " + e.getMessage());
  }

  @Test
  void atomics() {
    Vm vm = new Vm(List.of());
    assertEquals(15L, run(vm, st(Size.DW, Reg.R10, -8, 10), mov64(Reg.R1, 5), atomicAdd(Size.DW, Reg.R10, -8, Reg.R1),
        ldx(Size.DW, Reg.R0, Reg.R10, -8)));
    assertEquals(0xffffffff_00000000L, run(vm, st(Size.DW, Reg.R10, -8, -1), mov64(Reg.R1, 1),
        atomicAdd(Size.W, Reg.R10, -8, Reg.R1), ldx(Size.DW, Reg.R0, Reg.R10, -8)), "a W add wraps in its word");
    // cmpxchg: stores when the word equals R0, R0 gets the old value either way
    assertEquals(10L << 32 | 99, run(vm, st(Size.DW, Reg.R10, -8, 10), mov64(Reg.R0, 10), mov64(Reg.R1, 99),
        atomicCmpxchg(Size.DW, Reg.R10, -8, Reg.R1), Insn.alu64(dev.gotrace.probes.asm.AluOp.LSH, Reg.R0, 32),
        ldx(Size.DW, Reg.R1, Reg.R10, -8), Insn.alu64(dev.gotrace.probes.asm.AluOp.OR, Reg.R0, Reg.R1)));
    assertEquals(10L << 32 | 10, run(vm, st(Size.DW, Reg.R10, -8, 10), mov64(Reg.R0, 11), mov64(Reg.R1, 99),
        atomicCmpxchg(Size.DW, Reg.R10, -8, Reg.R1), Insn.alu64(dev.gotrace.probes.asm.AluOp.LSH, Reg.R0, 32),
        ldx(Size.DW, Reg.R1, Reg.R10, -8), Insn.alu64(dev.gotrace.probes.asm.AluOp.OR, Reg.R0, Reg.R1)));
    // fetch-add (imm 0x01) and xchg (0xe1): the old value comes back in src
    assertEquals(10L, run(vm, st(Size.DW, Reg.R10, -8, 10), mov64(Reg.R0, 3),
        Insn.raw(Insn.STX | 0x18 | Insn.ATOMIC, 10, 0, -8, 0x01)));
    assertEquals(13L, run(vm, st(Size.DW, Reg.R10, -8, 10), mov64(Reg.R1, 3),
        Insn.raw(Insn.STX | 0x18 | Insn.ATOMIC, 10, 1, -8, 0x01), ldx(Size.DW, Reg.R0, Reg.R10, -8)));
    assertEquals(10L, run(vm, st(Size.DW, Reg.R10, -8, 10), mov64(Reg.R0, 3),
        Insn.raw(Insn.STX | 0x18 | Insn.ATOMIC, 10, 0, -8, 0xe1)));
    VmException e = refused(st(Size.DW, Reg.R10, -16, 0), st(Size.DW, Reg.R10, -8, 0), mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R10, -12, Reg.R1), mov64(Reg.R0, 0));
    assertTrue(e.getMessage().contains("misaligned"), e.getMessage());
    assertEquals(3, e.pc());
  }

  @Test
  void sparseMemoryReadsWhatWasPut() {
    SparseMemory m = new SparseMemory().putString(0xfff, "gopher");
    assertArrayEquals("gopher".getBytes(), m.read(0xfff, 6), "across a page boundary");
    assertEquals(null, m.read(0xffe, 2));
    assertTrue(!m.mapped(0xfff, 7));
  }
}
