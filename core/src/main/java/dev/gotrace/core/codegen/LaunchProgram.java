package dev.gotrace.core.codegen;

import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchPlanner;
import dev.gotrace.core.plan.NewprocLayout;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.ringbuf.RingBufAsm;
import java.util.List;

/**
 * The program attached to the entry and the exits of {@code runtime.newproc1}: per hit one
 * {@link LaunchRecord} in ring buffer {@value #EVENTS}, or one more in per-CPU drop counter
 * {@value #DROPS}. The cookie tells entry (0) from exit.
 *
 * <p>Registers: R6 = pt_regs, R7 = the cookie, R8 = the record.
 */
public final class LaunchProgram {
  public static final String EVENTS = "events";
  public static final String DROPS = "drops";
  /** A launch plan is for amd64, the only architecture {@link LaunchPlanner} plans. */
  private static final Arch ARCH = Arch.AMD64;

  private LaunchProgram() {}

  /**
   * The program for {@code plan}; {@code ringBytes} is the size of ring buffer {@value #EVENTS}
   * (for the wake-up threshold of {@link RingBufAsm#submitQuietly}).
   */
  public static Program generate(LaunchPlan plan, int ringBytes) {
    NewprocLayout l = plan.layout();
    int goid = Math.toIntExact(plan.goidOffset());
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_ATTACH_COOKIE),
            mov64(Reg.R7, Reg.R0))
        .addAll(RingBufAsm.reserveOrCountDrop("ev", EVENTS, DROPS, LaunchRecord.SIZE, Reg.R8, -8, "out"))
        .add(stx(Size.DW, Reg.R8, LaunchRecord.COOKIE, Reg.R7),
            call(Helper.KTIME_GET_NS),
            stx(Size.DW, Reg.R8, LaunchRecord.KTIME, Reg.R0),
            call(Helper.GET_CURRENT_PID_TGID),
            stx(Size.DW, Reg.R8, LaunchRecord.PID_TGID, Reg.R0),
            ldx(Size.DW, Reg.R1, Reg.R6, ARCH.ptRegsPc()),
            stx(Size.DW, Reg.R8, LaunchRecord.IP, Reg.R1),
            st(Size.DW, Reg.R8, LaunchRecord.FNPC, 0),
            st(Size.DW, Reg.R8, LaunchRecord.CALLERPC, 0),
            jmp(JmpOp.JNE, Reg.R7, 0, "exit"))
        // Entry: fn->fn, callergp, callergp->goid, callerpc.
        .addAll(fetch(l.fn(), LaunchRecord.FNPC))
        .addAll(deref(LaunchRecord.FNPC, LaunchRecord.FNPC, 0))
        .addAll(fetch(l.callerGp(), LaunchRecord.GPTR))
        .addAll(deref(LaunchRecord.GOID, LaunchRecord.GPTR, goid))
        .addAll(fetch(l.callerPc(), LaunchRecord.CALLERPC))
        .add(ja("submit"))
        // Exit: the returned newg and newg->goid.
        .label("exit")
        .addAll(fetch(l.result(), LaunchRecord.GPTR))
        .addAll(deref(LaunchRecord.GOID, LaunchRecord.GPTR, goid))
        .label("submit")
        .addAll(RingBufAsm.submitQuietly("ev", EVENTS, ringBytes, Reg.R8))
        .label("out")
        .add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /** record[slot] = the word at {@code s}; clobbers R0–R5. */
  private static List<Insn> fetch(ArgLocation s, int slot) {
    if (s instanceof ArgLocation.InRegister r) {
      return List.of(ldx(Size.DW, Reg.R1, Reg.R6, r.register().ptRegsOffset()),
          stx(Size.DW, Reg.R8, slot, Reg.R1));
    }
    ArgLocation.Stack k = (ArgLocation.Stack) s;
    return RecordAsm.readUser(slot, 8, ldx(Size.DW, Reg.R3, Reg.R6, ARCH.stackPointer().ptRegsOffset()), k.spOffset());
  }

  /** record[dst] = *(u64 *)(record[src] + add), 0 when unreadable; clobbers R0–R5. */
  private static List<Insn> deref(int dst, int src, long add) {
    return RecordAsm.readUser(dst, 8, ldx(Size.DW, Reg.R3, Reg.R8, src), add);
  }
}
