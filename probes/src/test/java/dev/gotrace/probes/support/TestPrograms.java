package dev.gotrace.probes.support;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.ringbuf.RingBufAsm;

/** eBPF programs the tests and benchmarks attach. */
public final class TestPrograms {
  private TestPrograms() {}

  /** Bytes of one record of {@link #countAndRecord}: cookie u64, pid_tgid u64. */
  public static final int RECORD_SIZE = 16;

  /**
   * Per hit: adds 1 to {@code counts[cookie]} (a HASH u64 → u64 whose keys user space created),
   * then writes {cookie, pid_tgid} to ring buffer {@code events}, counting failed reservations
   * in per-CPU array {@code drops}, and commits the record as gotrace's programs do (woken only
   * past the fill threshold of a ring of {@code ringBytes}).
   */
  public static Program countAndRecord(int ringBytes) {
    return Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_ATTACH_COOKIE),
            mov64(Reg.R7, Reg.R0),
            stx(Size.DW, Reg.R10, -8, Reg.R7),
            ldMap(Reg.R1, "counts"),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, -8),
            call(Helper.MAP_LOOKUP_ELEM),
            jmp(JmpOp.JEQ, Reg.R0, 0, "record"),
            mov64(Reg.R1, 1),
            atomicAdd(Size.DW, Reg.R0, 0, Reg.R1))
        .label("record")
        .addAll(RingBufAsm.reserveOrCountDrop("ev", "events", "drops", RECORD_SIZE, Reg.R8, -12, "out"))
        .add(stx(Size.DW, Reg.R8, 0, Reg.R7),
            call(Helper.GET_CURRENT_PID_TGID),
            stx(Size.DW, Reg.R8, 8, Reg.R0))
        .addAll(RingBufAsm.submitQuietly("ev", "events", ringBytes, Reg.R8))
        .label("out")
        .add(mov64(Reg.R0, 0), exit())
        .build();
  }
}
