package dev.gotrace.core.codegen;

import dev.gotrace.core.plan.LaunchFilter;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchPlanner;
import dev.gotrace.core.plan.NewprocLayout;
import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.ringbuf.RingBufAsm;
import java.util.List;
import java.util.Optional;

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
  /**
   * With {@code --where}: hash map thread (pid_tgid) → 1 for a launch the entry rejected, so that
   * its exit writes no record either. newproc1 runs on the system stack of one thread from its
   * entry to its exit ({@code LaunchDecoder} joins them the same way).
   */
  public static final String REJECTED = "rejected";
  /** Entries of {@value #REJECTED}: threads in newproc1 at once, a few per CPU at most. */
  public static final int REJECTED_ENTRIES = 4096;
  private static final int FN = -16;
  private static final int TID = -24;
  private static final int ONE = -32;
  /** A launch plan is for amd64, the only architecture {@link LaunchPlanner} plans. */
  private static final Arch ARCH = Arch.AMD64;

  private LaunchProgram() {}

  /**
   * The program for {@code plan}; {@code ringBytes} is the size of ring buffer {@value #EVENTS}
   * (for the wake-up threshold of {@link RingBufAsm#submitQuietly}).
   */
  public static Program generate(LaunchPlan plan, int ringBytes) {
    return generate(plan, Optional.empty(), ringBytes);
  }

  /**
   * The program for {@code plan}, reporting only the launches of the functions {@code filter}
   * passes (every launch without it, and then the same program as {@link #generate(LaunchPlan,
   * int)}): the entry reads the started function's entry PC, turns it into a link-time address
   * and checks it against the filter's ranges by binary search before it reserves a record; a
   * rejected launch marks its thread in {@value #REJECTED}, and the exit of a marked thread
   * clears the mark and writes nothing.
   */
  public static Program generate(LaunchPlan plan, Optional<LaunchFilter> filter, int ringBytes) {
    NewprocLayout l = plan.layout();
    int goid = Math.toIntExact(plan.goidOffset());
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_ATTACH_COOKIE),
            mov64(Reg.R7, Reg.R0));
    filter.ifPresent(f -> where(b, plan, f));
    b.addAll(RingBufAsm.reserveOrCountDrop("ev", EVENTS, DROPS, LaunchRecord.SIZE, Reg.R8, -8, "out"))
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

  private static void where(Program.Builder b, LaunchPlan plan, LaunchFilter f) {
    b.add(call(Helper.GET_CURRENT_PID_TGID),
        stx(Size.DW, Reg.R10, TID, Reg.R0),
        jmp(JmpOp.JNE, Reg.R7, 0, "w_exit"));
    // fn->fn: the started function's entry, as it runs (PIE: plus the load bias).
    ArgLocation fn = plan.layout().fn();
    if (fn instanceof ArgLocation.InRegister r) {
      b.add(ldx(Size.DW, Reg.R3, Reg.R6, r.register().ptRegsOffset()));
    } else {
      b.add(ldx(Size.DW, Reg.R3, Reg.R6, ARCH.stackPointer().ptRegsOffset()),
          add64(Reg.R3, Math.toIntExact(((ArgLocation.Stack) fn).spOffset())),
          mov64(Reg.R1, Reg.R10),
          add64(Reg.R1, FN),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_USER),
          ldx(Size.DW, Reg.R3, Reg.R10, FN));
    }
    b.add(mov64(Reg.R1, Reg.R10),
        add64(Reg.R1, FN),
        mov64(Reg.R2, 8),
        call(Helper.PROBE_READ_USER), // zeroes the slot when it fails: no range holds 0
        ldx(Size.DW, Reg.R1, Reg.R10, FN),
        // link-time = run-time - (this probe's run-time pc - its link-time address)
        ldx(Size.DW, Reg.R2, Reg.R6, ARCH.ptRegsPc()),
        ldImm64(Reg.R3, plan.sites().get(0).address()),
        alu64(AluOp.SUB, Reg.R2, Reg.R3),
        alu64(AluOp.SUB, Reg.R1, Reg.R2));
    search(b, f.ranges(), 0, f.ranges().size() - 1);
    b.label("w_reject")
        .add(st(Size.DW, Reg.R10, ONE, 1),
            ldMap(Reg.R1, REJECTED),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, TID),
            mov64(Reg.R3, Reg.R10),
            add64(Reg.R3, ONE),
            mov64(Reg.R4, 0), // BPF_ANY
            call(Helper.MAP_UPDATE_ELEM),
            ja("out"))
        .label("w_exit")
        .add(ldMap(Reg.R1, REJECTED),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, TID),
            call(Helper.MAP_LOOKUP_ELEM),
            jmp(JmpOp.JEQ, Reg.R0, 0, "w_pass"),
            ldMap(Reg.R1, REJECTED),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, TID),
            call(Helper.MAP_DELETE_ELEM),
            ja("out"))
        .label("w_pass");
  }

  /**
   * Jumps to {@code w_pass} when R1 is in one of {@code ranges[lo..hi]} (sorted, disjoint), else
   * to {@code w_reject}: a balanced tree of compares, log2(ranges) deep. Clobbers R2.
   */
  private static void search(Program.Builder b, List<LaunchFilter.Range> ranges, int lo, int hi) {
    if (lo > hi) {
      b.add(ja("w_reject"));
      return;
    }
    int mid = (lo + hi) >>> 1;
    LaunchFilter.Range r = ranges.get(mid);
    String below = "w_lt" + mid;
    String above = "w_ge" + mid;
    b.add(ldImm64(Reg.R2, r.start()),
        jmp(JmpOp.JLT, Reg.R1, Reg.R2, lo < mid ? below : "w_reject"),
        ldImm64(Reg.R2, r.end()),
        jmp(JmpOp.JGE, Reg.R1, Reg.R2, mid < hi ? above : "w_reject"),
        ja("w_pass"));
    if (lo < mid) {
      b.label(below);
      search(b, ranges, lo, mid - 1);
    }
    if (mid < hi) {
      b.label(above);
      search(b, ranges, mid + 1, hi);
    }
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
