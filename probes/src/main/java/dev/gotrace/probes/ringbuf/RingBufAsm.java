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

/** Instruction sequences (macros) for producing into a ring buffer. */
public final class RingBufAsm {
  private RingBufAsm() {}

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
