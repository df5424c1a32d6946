package dev.gotrace.probes.ringbuf;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.util.List;

/**
 * Instruction sequences (macros) for producing into a ring buffer: {@link #reserveOrCountDrop}
 * and {@link #submitQuietly}, which every program that streams records uses.
 */
public final class RingBufAsm {
  /** {@code BPF_RB_NO_WAKEUP}: commit without waking the reader. */
  public static final int NO_WAKEUP = 1;
  /** {@code BPF_RB_FORCE_WAKEUP}: commit and wake the reader unconditionally. */
  public static final int FORCE_WAKEUP = 2;
  /** {@code BPF_RB_AVAIL_DATA}: what {@code bpf_ringbuf_query} reports: bytes not yet consumed. */
  public static final int AVAIL_DATA = 0;
  /**
   * The reader is woken once the unconsumed bytes pass {@code ring size >> WAKE_SHIFT} (an eighth
   * of the ring: 1 MiB of the default 8 MiB, about 16,000 records). Below it the reader finds the
   * records on its bounded poll timeout; see {@link #wakeThreshold}.
   */
  public static final int WAKE_SHIFT = 3;

  private RingBufAsm() {}

  /**
   * The fill level, in bytes, above which {@link #submitQuietly} wakes the reader of a ring of
   * {@code ringBytes}: an eighth of it. Measured on the 2-core VM (bench/throughput.sh): the
   * workload's tight loop, traced, writes 31,000 {@code funcs} records (64 bytes with the header)
   * a second from one process and 53,000 from two, so the eighth of the default 8 MiB ring
   * (16,384 records) takes 0.3–0.5 s to fill, six to ten times the reader's 50 ms wait: at a
   * steady rate the reader drains on its timeout and is never woken, and a reader that has
   * fallen 16,000 records behind is woken with seven eighths of the ring still free (no drops in
   * either case, where waking per record dropped 3.5 % with two processes).
   */
  public static int wakeThreshold(int ringBytes) {
    if (ringBytes <= 0 || Integer.bitCount(ringBytes) != 1) {
      throw new IllegalArgumentException("ring size " + ringBytes + " is not a power of two");
    }
    return ringBytes >>> WAKE_SHIFT;
  }

  /**
   * Commits the record whose pointer is in {@code record} (reserved by
   * {@link #reserveOrCountDrop}) without waking the reader ({@code BPF_RB_NO_WAKEUP}), unless the
   * ring {@code ring} ({@code ringBytes} long) holds more than {@link #wakeThreshold} unconsumed
   * bytes ({@code bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA)}), in which case it wakes the
   * reader ({@code BPF_RB_FORCE_WAKEUP}). A kernel that has the ring buffer has both helpers
   * (Linux 5.8). The reader must therefore not wait for a wakeup without a timeout.
   * Clobbers R0–R5; {@code id} makes the macro's own label unique.
   */
  public static List<Item> submitQuietly(String id, String ring, int ringBytes, Reg record) {
    if (record.num() <= 5 || record == Reg.R10) {
      throw new IllegalArgumentException("record " + record + " is clobbered by calls; use R6-R9");
    }
    String quiet = id + "_quiet";
    return List.of(
        ldMap(Reg.R1, ring),
        mov64(Reg.R2, AVAIL_DATA),
        call(Helper.RINGBUF_QUERY),
        mov64(Reg.R2, NO_WAKEUP),
        jmp(JmpOp.JLE, Reg.R0, wakeThreshold(ringBytes), quiet),
        mov64(Reg.R2, FORCE_WAKEUP),
        new Label(quiet),
        mov64(Reg.R1, record),
        call(Helper.RINGBUF_SUBMIT));
  }

  /**
   * Reserves {@code size} bytes in ring buffer map {@code ring} and leaves the record pointer in
   * {@code dst}; when the reservation fails, adds 1 to slot 0 of per-CPU array {@code drops}
   * (atomically: uprobe programs are not preempt-disabled) and jumps to {@code dropped}.
   * Clobbers R0–R5; uses the 4 bytes at {@code fp + scratch} ({@code scratch} negative, 4-aligned)
   * for the key; {@code id} makes the macro's own label unique.
   */
  public static List<Item> reserveOrCountDrop(String id, String ring, String drops, int size,
      Reg dst, int scratch, String dropped) {
    if (size <= 0 || size > 0x3fffffff) {
      throw new IllegalArgumentException("record size " + size + " out of range");
    }
    if (scratch >= 0 || scratch < -512 || scratch % 4 != 0) {
      throw new IllegalArgumentException("scratch slot fp" + scratch + " must be negative, 4-aligned, >= -512");
    }
    if (dst.num() >= 1 && dst.num() <= 5 || dst == Reg.R10) {
      throw new IllegalArgumentException("dst " + dst + " is clobbered by calls; use R0 or R6-R9");
    }
    String ok = id + "_reserved";
    return List.of(
        ldMap(Reg.R1, ring),
        mov64(Reg.R2, size),
        mov64(Reg.R3, 0),
        call(Helper.RINGBUF_RESERVE),
        jmp(JmpOp.JNE, Reg.R0, 0, ok),
        st(Size.W, Reg.R10, scratch, 0),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, scratch),
        ldMap(Reg.R1, drops),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, dropped),
        mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R0, 0, Reg.R1),
        ja(dropped),
        new Label(ok),
        mov64(dst, Reg.R0));
  }
}
