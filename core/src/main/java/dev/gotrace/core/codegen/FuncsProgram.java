package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.alu32;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.core.query.Cond;
import dev.gotrace.core.query.QueryAsm;
import dev.gotrace.core.query.Window;
import dev.gotrace.core.stack.Unwinding;
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
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The entry probe of {@code gotrace funcs}: per hit, one {@link CallRecord} in ring buffer
 * {@value #EVENTS}, or one more in per-CPU drop counter {@value #DROPS} when the ring is full.
 *
 * <p>Registers: R6 = pt_regs, R7 = scratch (cookie, then g), R8 = the record.
 */
public final class FuncsProgram {
  /** Name of the ring-buffer map the program writes to. */
  public static final String EVENTS = "events";
  /** Name of the per-CPU drop counter. */
  public static final String DROPS = "drops";

  /** The slot {@link RingBufAsm#reserveOrCountDrop} may use; a --where window lies below it. */
  private static final int SCRATCH = -8;
  /** The walk's slot (used before the record is reserved, after the --where test). */
  private static final int STACK_SLOT = -16;
  /** The load bias of a PIE's --show reads (after the record is reserved: the walk's slot is free again). */
  private static final int BIAS_SLOT = -16;

  private FuncsProgram() {}

  /**
   * The program for {@code plan}. {@code fsbaseOffset} is the offset of
   * {@code task_struct.thread.fsbase} from vmlinux BTF; needed only when {@code g} lives in
   * thread-local storage. {@code ringBytes} is the size of ring buffer {@value #EVENTS}: the
   * record is committed without waking the reader until the ring fills past
   * {@link RingBufAsm#wakeThreshold}.
   */
  public static Program generate(ProbePlan plan, OptionalLong fsbaseOffset, int ringBytes) {
    return generate(plan, Optional.empty(), fsbaseOffset, ringBytes);
  }

  /**
   * The program for {@code plan} with {@code --where}: before anything is reserved, the group
   * number in the cookie's high 32 bits ({@link #cookie}; 0: no condition) picks the group's
   * test, which ends the program when the call does not pass; then the cookie's low half, the
   * site index, is what the record keeps. Without {@code where}, the same program as {@link
   * #generate(ProbePlan, OptionalLong, int)}.
   */
  public static Program generate(ProbePlan plan, Optional<EntryQuery> where, OptionalLong fsbaseOffset,
      int ringBytes) {
    return generate(plan, where, RecordLayout.of(List.of(), 1), Optional.empty(),
        fsbaseOffset, ringBytes);
  }

  /** With {@code --show}: {@link #generate(ProbePlan, Optional, dev.gotrace.core.plan.RecordLayout, Optional, OptionalLong, int)} without a stack. */
  public static Program generate(ProbePlan plan, Optional<EntryQuery> where, RecordLayout shows,
      OptionalLong fsbaseOffset, int ringBytes) {
    return generate(plan, where, shows, Optional.empty(), fsbaseOffset, ringBytes);
  }

  /** With {@code --stack}: {@link #generate(ProbePlan, Optional, dev.gotrace.core.plan.RecordLayout, Optional, OptionalLong, int)} without {@code --show}. */
  public static Program generate(ProbePlan plan, Optional<EntryQuery> where, Optional<Unwinding> stack,
      OptionalLong fsbaseOffset, int ringBytes) {
    return generate(plan, where, RecordLayout.of(List.of(), 1), stack, fsbaseOffset, ringBytes);
  }

  /**
   * The program with {@code --where}, {@code --show} and {@code --stack}. After the filter,
   * {@link StackAsm}'s walk (R9 = the stack id, site index in R7), its id at {@link
   * CallRecord#STACK}; the record is followed by the {@code --show} values of {@code shows} (from
   * offset {@link dev.gotrace.core.plan.RecordLayout#HEADER}, past the stack id): the package
   * variables' memory and the strings in it, read at the call. Without {@code stack} and
   * {@code shows}, the same program as {@link #generate(ProbePlan, Optional, OptionalLong, int)}.
   */
  public static Program generate(ProbePlan plan, Optional<EntryQuery> where, RecordLayout shows,
      Optional<Unwinding> stack, OptionalLong fsbaseOffset, int ringBytes) {
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_ATTACH_COOKIE),
            mov64(Reg.R7, Reg.R0));
    where.ifPresent(q -> filter(b, q));
    stack.ifPresent(u -> b.addAll(StackAsm.walk(u.starts(), u.depth(), Reg.R7, Reg.R9, STACK_SLOT, "st_")));
    int size = !shows.values().isEmpty() ? shows.size() : stack.isPresent() ? CallRecord.SIZE_WITH_STACK : CallRecord.SIZE;
    b.addAll(RingBufAsm.reserveOrCountDrop("ev", EVENTS, DROPS, size, Reg.R8, SCRATCH, "out"));
    if (stack.isPresent()) {
      b.add(stx(Size.DW, Reg.R8, CallRecord.STACK, Reg.R9));
    }
    b.add(stx(Size.DW, Reg.R8, CallRecord.COOKIE, Reg.R7),
            call(Helper.KTIME_GET_NS),
            stx(Size.DW, Reg.R8, CallRecord.KTIME, Reg.R0),
            call(Helper.GET_CURRENT_PID_TGID),
            stx(Size.DW, Reg.R8, CallRecord.PID_TGID, Reg.R0),
            ldx(Size.DW, Reg.R1, Reg.R6, plan.arch().ptRegsPc()),
            stx(Size.DW, Reg.R8, CallRecord.IP, Reg.R1))
;
    returnAddress(b, plan);
    if (plan.g() instanceof GAccess.InRegister r) {
      b.add(ldx(Size.DW, Reg.R7, Reg.R6, r.register().ptRegsOffset()),
          stx(Size.DW, Reg.R8, CallRecord.G, Reg.R7));
    } else if (plan.g() instanceof GAccess.ThreadLocal t) {
      long fs = fsbaseOffset.orElseThrow(() -> new IllegalArgumentException(
          "g is thread-local in " + plan.binary() + " but no task_struct fsbase offset was given"));
      b.add(call(Helper.GET_CURRENT_TASK),
          mov64(Reg.R3, Reg.R0),
          add64(Reg.R3, Math.toIntExact(fs)),
          mov64(Reg.R1, Reg.R8),
          add64(Reg.R1, CallRecord.G),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_KERNEL));
      // g = *(fsbase + offset); the helper zeroes the slot when the read fails.
      b.addAll(RecordAsm.readUser(CallRecord.G, 8, ldx(Size.DW, Reg.R3, Reg.R8, CallRecord.G), t.offset()));
      b.add(ldx(Size.DW, Reg.R7, Reg.R8, CallRecord.G));
    }
    b.addAll(RecordAsm.readUser(CallRecord.GOID, 8, mov64(Reg.R3, Reg.R7), plan.goidOffset()));
    if (!shows.values().isEmpty()) {
      if (biased(shows)) {
        loadBias(b, plan);
        ArgsProgram.copyValues(b, shows, "sh", plan.arch(), OptionalInt.of(BIAS_SLOT));
      } else {
        ArgsProgram.copyValues(b, shows, "sh", plan.arch());
      }
    }
    b.addAll(RingBufAsm.submitQuietly("ev", EVENTS, ringBytes, Reg.R8))
        .label("out")
        .add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /**
   * The return address: the word at SP on entry; at a line site, the word at SP + the pclntab's SP
   * delta there (how far SP is below its value at the function's entry, where the return address
   * is), chosen by the site index in R7's low half. Clobbers R1–R3.
   */
  private static void returnAddress(Program.Builder b, ProbePlan plan) {
    Insn sp = ldx(Size.DW, Reg.R3, Reg.R6, plan.arch().stackPointer().ptRegsOffset());
    List<Long> deltas = plan.sites().stream()
        .map(s -> s.line().map(l -> (long) l.site().spDelta()).orElse(0L)).toList();
    if (deltas.stream().allMatch(d -> d == 0)) {
      b.addAll(RecordAsm.readUser(CallRecord.RETURN, 8, sp, 0));
      return;
    }
    b.add(sp)
        .addAll(SiteTable.lookup(deltas, Reg.R7, Reg.R2, "sp"))
        .add(alu64(AluOp.ADD, Reg.R3, Reg.R2),
            mov64(Reg.R1, Reg.R8),
            add64(Reg.R1, CallRecord.RETURN),
            mov64(Reg.R2, 8),
            call(Helper.PROBE_READ_USER));
  }


  /** The cookie of site {@code index} whose function is in {@code group} (empty: no condition). */
  public static long cookie(int index, OptionalInt group) {
    return (long) (group.isPresent() ? group.getAsInt() + 1 : 0) << 32 | index;
  }

  /** Dispatches on the group (R7's high half) to its test; a rejected call jumps to "out". */
  private static void filter(Program.Builder b, EntryQuery q) {
    Window w = new Window(SCRATCH - q.windowBytes(), q.windowBytes());
    b.add(mov64(Reg.R1, Reg.R7), alu64(AluOp.RSH, Reg.R1, 32));
    for (int g = 0; g < q.groups().size(); g++) {
      String skip = "q" + g + "_next";
      b.add(jmp(JmpOp.JNE, Reg.R1, g + 1, skip));
      if (q.groups().get(g).equals(new Cond.Truth(false))) { // no call passes
        b.add(ja("out")).label(skip);
        continue;
      }
      b.addAll(QueryAsm.test(q.groups().get(g), w, "q" + g + "_", "out"));
      if (g < q.groups().size() - 1) { // the last group's test falls through to "passed"
        b.add(ja("passed"));
      }
      b.label(skip);
    }
    b.label("passed")
        .add(alu32(AluOp.MOV, Reg.R7, Reg.R7)); // w7 = w7: the site index alone, as the decoder reads it
  }

  /** Whether some --show value is a package variable of a PIE (its address needs the load bias). */
  private static boolean biased(RecordLayout shows) {
    return shows.values().stream().anyMatch(v -> v.param().pieces().stream()
        .anyMatch(p -> p.where() instanceof ArgLocation.Static s && s.site().isPresent()));
  }

  /**
   * The load bias into {@link #BIAS_SLOT}: the probed run-time IP (the record's) minus the site's
   * link address, found by the site index the record keeps ({@link SiteTable}). Clobbers R1–R3.
   */
  private static void loadBias(Program.Builder b, ProbePlan plan) {
    b.add(ldx(Size.W, Reg.R1, Reg.R8, CallRecord.COOKIE))
        .addAll(SiteTable.lookup(plan.sites().stream().map(ProbeSite::probeAddress).toList(), Reg.R1, Reg.R2, "sb"))
        .add(ldx(Size.DW, Reg.R3, Reg.R8, CallRecord.IP),
            alu64(AluOp.SUB, Reg.R3, Reg.R2),
            stx(Size.DW, Reg.R10, BIAS_SLOT, Reg.R3));
  }
}
