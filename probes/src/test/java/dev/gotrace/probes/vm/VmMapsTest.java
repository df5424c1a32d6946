package dev.gotrace.probes.vm;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.ringbuf.RingBufAsm;
import dev.gotrace.probes.support.TestPrograms;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Map helpers, map-value pointers, and ring buffers, with the programs the probes module generates. */
class VmMapsTest {
  private static final byte[] CTX = new byte[168];

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static long le(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
  }

  /** update(map, key = R6 at fp-8, value = R7 at fp-16, flags) and return its result. */
  private static Program update(String map, long flags) {
    return Program.of(stx(Size.DW, Reg.R10, -8, Reg.R6), stx(Size.DW, Reg.R10, -16, Reg.R7),
        ldMap(Reg.R1, map), mov64(Reg.R2, Reg.R10), add64(Reg.R2, -8), mov64(Reg.R3, Reg.R10), add64(Reg.R3, -16),
        mov64(Reg.R4, (int) flags), call(Helper.MAP_UPDATE_ELEM), exit());
  }

  private static long update(Vm vm, String map, long key, long value, long flags) {
    List<Item> body = new ArrayList<>(List.of(mov64(Reg.R6, (int) key), mov64(Reg.R7, (int) value)));
    body.addAll(update(map, flags).items());
    return vm.run(new Program(body), Call.of(CTX)).r0();
  }

  /** lookup(map, key) and the first u64 of the value, or -1 when absent. */
  private static long lookup(Vm vm, String map, long key) {
    return vm.run(Program.of(mov64(Reg.R6, (int) key), stx(Size.DW, Reg.R10, -8, Reg.R6), ldMap(Reg.R1, map),
        mov64(Reg.R2, Reg.R10), add64(Reg.R2, -8), call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JNE, Reg.R0, 0, "hit"),
        mov64(Reg.R0, -1), exit(), new Label("hit"), ldx(Size.DW, Reg.R0, Reg.R0, 0), exit()), Call.of(CTX)).r0();
  }

  private static long delete(Vm vm, String map, long key) {
    return vm.run(Program.of(mov64(Reg.R6, (int) key), stx(Size.DW, Reg.R10, -8, Reg.R6), ldMap(Reg.R1, map),
        mov64(Reg.R2, Reg.R10), add64(Reg.R2, -8), call(Helper.MAP_DELETE_ELEM), exit()), Call.of(CTX)).r0();
  }

  @Test
  void hashMapFlagsAndCapacity() {
    Vm vm = new Vm(List.of(MapSpec.hash("h", 8, 8, 2)));
    assertEquals(-1L, lookup(vm, "h", 1));
    assertEquals(-2L, update(vm, "h", 1, 10, 2), "BPF_EXIST on a missing key: ENOENT");
    assertEquals(0L, update(vm, "h", 1, 10, 1));
    assertEquals(-17L, update(vm, "h", 1, 11, 1), "BPF_NOEXIST on a present key: EEXIST");
    assertEquals(10L, lookup(vm, "h", 1));
    assertEquals(0L, update(vm, "h", 1, 12, 0));
    assertEquals(0L, update(vm, "h", 2, 20, 1));
    assertEquals(-7L, update(vm, "h", 3, 30, 1), "a new key in a full hash: E2BIG");
    assertEquals(-7L, update(vm, "h", 3, 30, 0));
    assertEquals(0L, update(vm, "h", 2, 21, 2), "a present key still updates when full");
    assertEquals(-22L, update(vm, "h", 2, 21, 4));
    assertEquals(0L, delete(vm, "h", 1));
    assertEquals(-2L, delete(vm, "h", 1));
    assertEquals(0L, update(vm, "h", 3, 30, 1));
    assertEquals(2, vm.hash("h").size());
    assertArrayEquals(u64(30), vm.hash("h").get(u64(3)).orElseThrow());
    assertEquals(-1L, lookup(vm, "h", 1));
  }

  @Test
  void lruHashEvictsTheLeastRecentlyUsed() {
    Vm vm = new Vm(List.of(MapSpec.lruHash("l", 8, 8, 2)));
    update(vm, "l", 1, 10, 0);
    update(vm, "l", 2, 20, 0);
    lookup(vm, "l", 1);
    assertEquals(0L, update(vm, "l", 3, 30, 0));
    assertEquals(10L, lookup(vm, "l", 1));
    assertEquals(-1L, lookup(vm, "l", 2));
  }

  @Test
  void arrayMap() {
    Vm vm = new Vm(List.of(MapSpec.array("a", 12, 4)));
    assertEquals(0L, lookup(vm, "a", 3), "array values start zeroed");
    assertEquals(-1L, lookup(vm, "a", 4));
    assertEquals(-7L, update(vm, "a", 4, 1, 0), "index past the end: E2BIG");
    assertEquals(-17L, update(vm, "a", 1, 1, 1), "BPF_NOEXIST on an array: EEXIST");
    assertEquals(-22L, delete(vm, "a", 1));
    // the update reads value_size (12) bytes from fp-24: 8 written, 4 not
    Program partial = Program.of(st(Size.W, Reg.R10, -4, 1), st(Size.DW, Reg.R10, -24, 7), ldMap(Reg.R1, "a"),
        mov64(Reg.R2, Reg.R10), add64(Reg.R2, -4), mov64(Reg.R3, Reg.R10), add64(Reg.R3, -24), mov64(Reg.R4, 0),
        call(Helper.MAP_UPDATE_ELEM), exit());
    VmException e = assertThrows(VmException.class, () -> vm.run(partial, Call.of(CTX)));
    assertEquals(9, e.pc(), "the call");
    assertTrue(e.getMessage().contains("never written"), e.getMessage());
  }

  @Test
  void mapValuePointersReadAndWriteInsideTheValueOnly() {
    Vm vm = new Vm(List.of(MapSpec.array("a", 12, 4)));
    Program write = Program.of(st(Size.W, Reg.R10, -4, 2), ldMap(Reg.R1, "a"), mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, -4), call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JEQ, Reg.R0, 0, "out"),
        st(Size.DW, Reg.R0, 0, 77), st(Size.W, Reg.R0, 8, 5), new Label("out"), mov64(Reg.R0, 0), exit());
    vm.run(write, Call.of(CTX));
    assertEquals(77L, vm.array("a").u64(2, 0));
    assertEquals(5, vm.array("a").value(2)[8]);
    assertEquals(0L, vm.array("a").u64(1, 0));
    Program past = Program.of(st(Size.W, Reg.R10, -4, 2), ldMap(Reg.R1, "a"), mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, -4), call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JEQ, Reg.R0, 0, "out"),
        st(Size.DW, Reg.R0, 8, 1), new Label("out"), mov64(Reg.R0, 0), exit());
    VmException e = assertThrows(VmException.class, () -> vm.run(past, Call.of(CTX)));
    assertEquals(7, e.pc(), "ld_imm64 takes two slots");
    assertTrue(e.getMessage().contains("map a[2]+8 passes the end of map a (12 bytes)"), e.getMessage());
    Program unchecked = Program.of(st(Size.W, Reg.R10, -4, 9), ldMap(Reg.R1, "a"), mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, -4), call(Helper.MAP_LOOKUP_ELEM), ldx(Size.DW, Reg.R0, Reg.R0, 0), exit());
    e = assertThrows(VmException.class, () -> vm.run(unchecked, Call.of(CTX)));
    assertTrue(e.getMessage().contains("null pointer"), e.getMessage());
    Program notAMap = Program.of(mov64(Reg.R1, Reg.R10), mov64(Reg.R2, Reg.R10), add64(Reg.R2, -4),
        call(Helper.MAP_LOOKUP_ELEM), exit());
    e = assertThrows(VmException.class, () -> vm.run(notAMap, Call.of(CTX)));
    assertTrue(e.getMessage().contains("is not a map"), e.getMessage());
  }

  /** TestPrograms.countAndRecord: the program the privileged probes tests attach. */
  @Test
  void countAndRecordCountsEachHitAndRecordsIt() {
    Vm vm = new Vm(List.of(MapSpec.hash("counts", 8, 8, 16), MapSpec.ringBuf("events", 4096),
        MapSpec.perCpuArray("drops", 8, 1)));
    vm.hash("counts").put(u64(5), u64(0));
    Program p = TestPrograms.countAndRecord(4096);
    for (int i = 0; i < 3; i++) {
      assertEquals(0L, vm.run(p, Call.of(CTX).withCookie(5).withPidTgid(100L << 32 | 101 + i)).r0());
    }
    vm.run(p, Call.of(CTX).withCookie(6).withPidTgid(7));
    assertArrayEquals(u64(3), vm.hash("counts").get(u64(5)).orElseThrow(), "cookie 5 hit 3 times");
    assertTrue(vm.hash("counts").get(u64(6)).isEmpty(), "keys are created by user space only");
    List<byte[]> recs = vm.ring("events").drain();
    assertEquals(4, recs.size());
    assertEquals(5L, le(recs.get(0), 0));
    assertEquals(100L << 32 | 102, le(recs.get(1), 8));
    assertEquals(6L, le(recs.get(3), 0));
    assertEquals(0L, vm.array("drops").u64(0, 0));
  }

  @Test
  void aFullRingCountsDropsAndWakesPastTheThreshold() {
    Vm vm = new Vm(List.of(MapSpec.hash("counts", 8, 8, 16), MapSpec.ringBuf("events", 4096),
        MapSpec.perCpuArray("drops", 8, 1)));
    Program p = TestPrograms.countAndRecord(4096);
    // a 16-byte record takes 24 bytes with its header: 170 fit in 4096
    for (int i = 0; i < 175; i++) {
      vm.run(p, Call.of(CTX).withCookie(i));
    }
    assertEquals(170, vm.ring("events").records().size());
    assertEquals(5L, vm.array("drops").u64(0, 0));
    // the wake-up threshold is an eighth of the ring (512 bytes): records 22.. (528 bytes) force it
    assertEquals(170 - 21, vm.ring("events").forcedWakeups());
    vm.ring("events").drain();
    vm.run(p, Call.of(CTX).withCookie(1));
    assertEquals(1, vm.ring("events").records().size(), "drained space is free again");
  }

  @Test
  void aReservedRecordMustBeReleased() {
    Vm vm = new Vm(List.of(MapSpec.ringBuf("events", 4096), MapSpec.perCpuArray("drops", 8, 1)));
    List<Item> body = new ArrayList<>(RingBufAsm.reserveOrCountDrop("r", "events", "drops", 8, Reg.R6, -8, "out"));
    body.addAll(List.of(st(Size.DW, Reg.R6, 0, 1), new Label("out"), mov64(Reg.R0, 0), exit()));
    VmException e = assertThrows(VmException.class, () -> vm.run(new Program(body), Call.of(CTX)));
    assertTrue(e.getMessage().contains("unreleased reference"), e.getMessage());
    // writing past the record, or after submitting it
    List<Item> past = new ArrayList<>(RingBufAsm.reserveOrCountDrop("r", "events", "drops", 8, Reg.R6, -8, "out"));
    past.addAll(List.of(st(Size.DW, Reg.R6, 4, 1), mov64(Reg.R1, Reg.R6), mov64(Reg.R2, 0),
        call(Helper.RINGBUF_SUBMIT), new Label("out"), mov64(Reg.R0, 0), exit()));
    e = assertThrows(VmException.class, () -> vm.run(new Program(past), Call.of(CTX)));
    assertTrue(e.getMessage().contains("passes the end of a record of ring buffer events"), e.getMessage());
    List<Item> after = new ArrayList<>(RingBufAsm.reserveOrCountDrop("r", "events", "drops", 8, Reg.R6, -8, "out"));
    after.addAll(List.of(mov64(Reg.R1, Reg.R6), mov64(Reg.R2, 0), call(Helper.RINGBUF_SUBMIT),
        st(Size.DW, Reg.R6, 0, 1), new Label("out"), mov64(Reg.R0, 0), exit()));
    e = assertThrows(VmException.class, () -> vm.run(new Program(after), Call.of(CTX)));
    assertTrue(e.getMessage().contains("already submitted"), e.getMessage());
    assertEquals(1, vm.ring("events").records().size(), "the submitted record is kept");
  }
}
