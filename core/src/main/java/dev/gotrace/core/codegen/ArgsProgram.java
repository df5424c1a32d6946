package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.abi.ArgLocation;
import dev.gotrace.core.abi.Piece;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.core.query.Cond;
import dev.gotrace.core.query.QueryAsm;
import dev.gotrace.core.query.Window;
import dev.gotrace.core.stack.Unwinding;
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
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The probe program of {@code gotrace args}: one program for every site, dispatching on the
 * block number in the high half of the attach cookie. Each block reserves its own constant-size
 * record ({@link ArgsRecord} header + {@link RecordLayout}), copies exactly the registers and
 * stack bytes of its parameters, then the bounded prefix of each string and slice they hold.
 *
 * <p>Registers: R6 = pt_regs, R7 = cookie, R8 = the record, R9 = SP.
 */
public final class ArgsProgram {
  public static final String EVENTS = "events";
  public static final String DROPS = "drops";

  /**
   * With {@code --where}: LRU hash {g, g.stack.hi - SP} → 1 of the calls in progress that passed
   * their entry's condition ({@link #generate(ArgsPlan, Optional, OptionalLong, int)}).
   */
  public static final String PASSED = "passed";
  /** Entries of {@value #PASSED}: the LRU drops the marks of frames that never returned (a panic). */
  public static final int PASSED_ENTRIES = 65536;
  /** Stack: fp-8 the reserve's scratch, fp-24 the frame key {g, depth}, fp-32 the value 1, then the window. */
  private static final int SCRATCH = -8, KEY = -24, ONE = -32;

  private ArgsProgram() {}

  /**
   * The program for {@code plan}; {@code fsbaseOffset} as in {@link FuncsProgram#generate},
   * {@code ringBytes} the size of ring buffer {@value #EVENTS} (for the wake-up threshold of
   * {@link RingBufAsm#submitQuietly}).
   */
  public static Program generate(ArgsPlan plan, OptionalLong fsbaseOffset, int ringBytes) {
    return generate(plan, Optional.empty(), fsbaseOffset, ringBytes);
  }

  /**
   * The program for {@code plan} with {@code --where}: the entry block (and an inlined copy's) of
   * a function with a condition tests it before reserving, and a call it rejects ends there. A
   * call it passes and that may return is marked in {@value #PASSED} by its frame's key
   * {@code (g, g.stack.hi - SP)}, the key the decoder pairs an entry and its return by; the
   * function's return and tail-exit blocks look the key up first and write nothing for an
   * unmarked frame (a rejected call), deleting the mark of a marked one. Without {@code where},
   * the same program as {@link #generate(ArgsPlan, OptionalLong, int)}.
   */
  public static Program generate(ArgsPlan plan, Optional<EntryQuery> where, OptionalLong fsbaseOffset,
      int ringBytes) {
    return generate(plan, where, Optional.empty(), fsbaseOffset, ringBytes);
  }

  /**
   * The program with {@code --where} and {@code --stack}: each block that is not an exit (an
   * entry, an inlined copy) walks the stack ({@link StackAsm}, site index from the cookie's low
   * half, starts by site index) after its test and before it reserves, and its record is
   * {@link #recordSize} long with the stack id in the last 8 bytes. Without {@code stack}, the same
   * program as {@link #generate(ArgsPlan, Optional, OptionalLong, int)}.
   */
  public static Program generate(ArgsPlan plan, Optional<EntryQuery> where, Optional<Unwinding> stack,
      OptionalLong fsbaseOffset, int ringBytes) {
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.GET_ATTACH_COOKIE),
            mov64(Reg.R7, Reg.R0),
            ldx(Size.DW, Reg.R9, Reg.R6, plan.base().arch().stackPointer().ptRegsOffset()),
            mov64(Reg.R1, Reg.R7),
            alu64(AluOp.RSH, Reg.R1, 32));
    // Each block sits behind its own test, and ends in its own exit: every jump stays within one
    // block, so no offset outgrows the 16 bits of a jump however many functions are traced.
    for (ArgsPlan.Block blk : plan.blocks()) {
      b.add(jmp(JmpOp.JNE, Reg.R1, blk.id(), "skip" + blk.id()));
      OptionalInt group = where.isPresent() ? where.get().group(blk.function()) : OptionalInt.empty();
      if (group.isPresent() && where.get().groups().get(group.getAsInt()).equals(new Cond.Truth(false))) {
        b.add(mov64(Reg.R0, 0), exit()) // no call of this function passes: nothing to write (nor to verify)
            .label("skip" + blk.id());
        continue;
      }
      if (group.isPresent()) {
        filtered(b, plan, blk, where.get(), group.getAsInt(), fsbaseOffset);
      }
      block(b, plan, blk, fsbaseOffset, ringBytes, group.isPresent() && blk.kind() == ArgsPlan.Kind.ENTRY,
          takesStack(blk) ? stack : Optional.empty());
      b.label("skip" + blk.id());
    }
    b.add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /**
   * The --where part of a block of a function with a condition: at an entry or inlined copy its
   * test, at a return or tail exit the lookup and deletion of its frame's mark; either jumps to the
   * block's end when nothing is to be written.
   */
  private static void filtered(Program.Builder b, ArgsPlan plan, ArgsPlan.Block blk, EntryQuery q, int group,
      OptionalLong fs) {
    String id = "b" + blk.id();
    if (blk.kind() == ArgsPlan.Kind.ENTRY || blk.kind() == ArgsPlan.Kind.INLINED || blk.kind() == ArgsPlan.Kind.LINE) {
      Window w = new Window(ONE - q.windowBytes(), q.windowBytes());
      b.addAll(QueryAsm.test(q.groups().get(group), w, id + "_q", id + "_out"));
      return;
    }
    frameKey(b, plan, fs, id);
    b.add(ldMap(Reg.R1, PASSED),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, KEY),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, id + "_out"),
        ldMap(Reg.R1, PASSED),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, KEY),
        call(Helper.MAP_DELETE_ELEM));
  }

  /**
   * {g, g.stack.hi - SP} at fp+{@link #KEY}, as an entry record holds them (g 0 and stack.hi 0
   * when unreadable, as there). Clobbers R0–R5.
   */
  private static void frameKey(Program.Builder b, ArgsPlan plan, OptionalLong fs, String id) {
    if (plan.base().g() instanceof GAccess.InRegister r) {
      b.add(ldx(Size.DW, Reg.R1, Reg.R6, r.register().ptRegsOffset()),
          stx(Size.DW, Reg.R10, KEY, Reg.R1));
    } else if (plan.base().g() instanceof GAccess.ThreadLocal t) {
      long off = fs.orElseThrow(() -> new IllegalArgumentException(
          "g is thread-local but no task_struct fsbase offset was given"));
      b.add(call(Helper.GET_CURRENT_TASK),
          mov64(Reg.R3, Reg.R0),
          add64(Reg.R3, Math.toIntExact(off)),
          mov64(Reg.R1, Reg.R10),
          add64(Reg.R1, KEY),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_KERNEL),
          ldx(Size.DW, Reg.R3, Reg.R10, KEY),
          add64(Reg.R3, Math.toIntExact(t.offset())),
          mov64(Reg.R1, Reg.R10),
          add64(Reg.R1, KEY),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_USER));
    }
    b.add(ldx(Size.DW, Reg.R3, Reg.R10, KEY),
        add64(Reg.R3, Math.toIntExact(plan.stackHiOffset())),
        mov64(Reg.R1, Reg.R10),
        add64(Reg.R1, KEY + 8),
        mov64(Reg.R2, 8),
        call(Helper.PROBE_READ_USER),
        ldx(Size.DW, Reg.R1, Reg.R10, KEY + 8),
        alu64(AluOp.SUB, Reg.R1, Reg.R9),
        stx(Size.DW, Reg.R10, KEY + 8, Reg.R1));
  }

  /** Whether a block's records carry a stack with {@code --stack}: those that are not exits. */
  public static boolean takesStack(ArgsPlan.Block blk) {
    return blk.kind() != ArgsPlan.Kind.RETURN && blk.kind() != ArgsPlan.Kind.TAIL_EXIT;
  }

  /** The size of {@code blk}'s records: its layout, and the stack id after it when it takes one. */
  public static int recordSize(ArgsPlan.Block blk, boolean stacks) {
    return blk.layout().size() + (stacks && takesStack(blk) ? 8 : 0);
  }

  private static void block(Program.Builder b, ArgsPlan plan, ArgsPlan.Block blk, OptionalLong fs, int ringBytes,
      boolean mark, Optional<Unwinding> stack) {
    RecordLayout l = blk.layout();
    String id = "b" + blk.id();
    // the walk before the reserve: R8 is free until then; the id waits at fp[KEY] (mark uses KEY after)
    stack.ifPresent(u -> b.addAll(StackAsm.walk(u.starts(), u.depth(), Reg.R7, Reg.R8, KEY, id + "_st_")));
    b.addAll(RingBufAsm.reserveOrCountDrop(id, EVENTS, DROPS, l.size() + (stack.isPresent() ? 8 : 0), Reg.R8,
        SCRATCH, id + "_out"));
    if (stack.isPresent()) {
      b.add(ldx(Size.DW, Reg.R1, Reg.R10, KEY),
          stx(Size.DW, Reg.R8, l.size(), Reg.R1));
    }
    b.add(stx(Size.DW, Reg.R8, ArgsRecord.COOKIE, Reg.R7),
        stx(Size.DW, Reg.R8, ArgsRecord.SP, Reg.R9),
        call(Helper.KTIME_GET_NS),
        stx(Size.DW, Reg.R8, ArgsRecord.KTIME, Reg.R0),
        call(Helper.GET_CURRENT_PID_TGID),
        stx(Size.DW, Reg.R8, ArgsRecord.PID_TGID, Reg.R0),
        ldx(Size.DW, Reg.R1, Reg.R6, plan.base().arch().ptRegsPc()),
        stx(Size.DW, Reg.R8, ArgsRecord.IP, Reg.R1));
    // g, then goid and stack.hi through it.
    if (plan.base().g() instanceof GAccess.InRegister r) {
      b.add(ldx(Size.DW, Reg.R1, Reg.R6, r.register().ptRegsOffset()),
          stx(Size.DW, Reg.R8, ArgsRecord.G, Reg.R1));
    } else if (plan.base().g() instanceof GAccess.ThreadLocal t) {
      long off = fs.orElseThrow(() -> new IllegalArgumentException(
          "g is thread-local but no task_struct fsbase offset was given"));
      b.add(call(Helper.GET_CURRENT_TASK),
          mov64(Reg.R3, Reg.R0),
          add64(Reg.R3, Math.toIntExact(off)),
          mov64(Reg.R1, Reg.R8),
          add64(Reg.R1, ArgsRecord.G),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_KERNEL));
      b.addAll(RecordAsm.readUser(ArgsRecord.G, 8, ldx(Size.DW, Reg.R3, Reg.R8, ArgsRecord.G), t.offset()));
    }
    b.addAll(RecordAsm.readUser(ArgsRecord.GOID, 8, ldx(Size.DW, Reg.R3, Reg.R8, ArgsRecord.G), plan.base().goidOffset()));
    b.addAll(RecordAsm.readUser(ArgsRecord.STACK_HI, 8, ldx(Size.DW, Reg.R3, Reg.R8, ArgsRecord.G), plan.stackHiOffset()));
    copyValues(b, l, id, plan.base().arch());
    if (mark) { // the frame passed: its return may write
      b.add(ldx(Size.DW, Reg.R1, Reg.R8, ArgsRecord.G),
          stx(Size.DW, Reg.R10, KEY, Reg.R1),
          ldx(Size.DW, Reg.R1, Reg.R8, ArgsRecord.STACK_HI),
          alu64(AluOp.SUB, Reg.R1, Reg.R9),
          stx(Size.DW, Reg.R10, KEY + 8, Reg.R1),
          st(Size.DW, Reg.R10, ONE, 1),
          ldMap(Reg.R1, PASSED),
          mov64(Reg.R2, Reg.R10),
          add64(Reg.R2, KEY),
          mov64(Reg.R3, Reg.R10),
          add64(Reg.R3, ONE),
          mov64(Reg.R4, 0), // BPF_ANY
          call(Helper.MAP_UPDATE_ELEM));
    }
    b.addAll(RingBufAsm.submitQuietly(id, EVENTS, ringBytes, Reg.R8))
        .label(id + "_out")
        .add(mov64(Reg.R0, 0), exit());
  }

  /**
   * Copies each value of {@code l} into the record (R8) from its registers (R6 = pt_regs), stack
   * slots (R9 = SP) or package-variable memory, then each buffer; labels start with {@code id}.
   */
  static void copyValues(Program.Builder b, RecordLayout l, String id, Arch arch) {
    copyValues(b, l, id, arch, OptionalInt.empty());
  }

  /**
   * As {@link #copyValues(Program.Builder, RecordLayout, String, Arch)}; with {@code biasSlot}, a
   * package variable's load bias is the word in that stack slot, not its own site's constant.
   */
  static void copyValues(Program.Builder b, RecordLayout l, String id, Arch arch, OptionalInt biasSlot) {
    for (RecordLayout.Value v : l.values()) {
      if (!v.copied()) {
        continue;
      }
      for (Piece p : v.param().pieces()) {
        int at = v.offset() + (int) p.offset();
        if (p.where() instanceof ArgLocation.InRegister r) {
          b.add(ldx(Size.DW, Reg.R1, Reg.R6, r.register().ptRegsOffset()),
              stx(size(p.size()), Reg.R8, at, Reg.R1));
        } else if (p.where() instanceof ArgLocation.Stack s) {
          b.addAll(RecordAsm.readUser(at, p.size(), mov64(Reg.R3, Reg.R9), s.spOffset()));
        } else if (p.where() instanceof ArgLocation.Static s) {
          b.addAll(biasSlot.isPresent() ? RecordAsm.readStaticBiased(at, p.size(), s.address(), biasSlot.getAsInt())
              : RecordAsm.readStatic(at, p.size(), s, arch));
        }
        // Float registers: left zero; the decoder says the value is unavailable.
      }
    }
    int n = 0;
    for (RecordLayout.Buffer buf : l.buffers()) {
      String skip = id + "_len" + n++;
      b.add(ldx(Size.DW, Reg.R3, Reg.R8, buf.ptrOffset()));
      if (buf.fixed()) {
        b.add(mov64(Reg.R2, buf.maxElems()));
      } else {
        b.add(ldx(Size.DW, Reg.R2, Reg.R8, buf.lenOffset()),
            jmp(JmpOp.JLE, Reg.R2, buf.maxElems(), skip),
            mov64(Reg.R2, buf.maxElems()))
            .label(skip);
      }
      if (buf.elemSize() > 1) {
        b.add(alu64(AluOp.LSH, Reg.R2, Integer.numberOfTrailingZeros(buf.elemSize())));
      }
      b.add(mov64(Reg.R1, Reg.R8),
          add64(Reg.R1, buf.dataOffset()),
          call(Helper.PROBE_READ_USER),
          stx(Size.DW, Reg.R8, buf.offset(), Reg.R0));
    }
  }

  private static Size size(int bytes) {
    return switch (bytes) {
      case 1 -> Size.B;
      case 2 -> Size.H;
      case 4 -> Size.W;
      case 8 -> Size.DW;
      default -> throw new IllegalArgumentException("register piece of " + bytes + " bytes");
    };
  }

}
