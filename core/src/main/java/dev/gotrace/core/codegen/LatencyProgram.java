package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu32;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
import static dev.gotrace.probes.asm.Insn.atomicCmpxchg;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.LatencyQuery;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.core.query.Window;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.ringbuf.RingBufAsm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The two programs of {@code gotrace latency}; the attach cookie of every probe is the function's
 * index in the plan.
 *
 * <p>The entry program stores {ktime, function} in LRU hash {@value #INFLIGHT} under the key
 * {g, g.stack.hi - SP}. At the probe entry (after the stack check, before the frame is allocated)
 * SP points at the return address; at a RET, or a JMP that leaves the function, the frame is
 * popped again and SP is the same, so both probes compute the same key, and a stack copy, which
 * moves SP and stack.hi together, does not change it. The exit program looks the key up, deletes
 * it and adds the delta to array {@value #HIST} (index function * 64 + floor(log2 ns)) and to the
 * function's {@link #STATS} slots. Both are plain arrays shared by all CPUs, updated with atomic
 * adds (count, sum, the error counters) and compare-and-exchange (max, min), so the counts stay
 * exact; they are {@code BPF_F_MMAPABLE}, and user space reads them through {@code mmap}: a
 * snapshot is memory loads, the histogram rows only of the functions with calls, whatever the
 * number of functions or CPUs.
 *
 * <p>An entry that finds its key taken means the earlier frame never exited (unwound by a panic,
 * or its goroutine ended and the g was reused): {@link #UNEXITED} of the earlier function.
 * An exit without its entry (attached mid-call, or evicted from the LRU) is {@link #UNMATCHED}.
 *
 * <p>The cookie of an exit probe is {@code function | exit << 32}, {@code exit} counting the exits
 * of all functions in plan order. With {@code bySite}, each completed call also adds to its exit's
 * {count, sum} in (mmapable, atomic) array {@value #SITES}. With a streaming
 * threshold, the exit program also writes each completed call at least that slow to ring buffer
 * {@value #EVENTS} ({@link #REC_SIZE} bytes: ktime, pid_tgid, goid, cookie, latency), counting
 * records it could not reserve in {@value #DROPS}.
 *
 * <p>With {@code --stacks} ({@code perStack}) the exit also adds the call to the (function, stack
 * id) row of the keyed map ({@link KeyedAsm}), as {@code --by} does per key.
 *
 * <p>Stack: fp-24 key.g, fp-16 key.depth, fp-8 scratch, fp-40 value.ktime, fp-32 value.function,
 * fp-44 u32 array index, fp-56 saved function index, fp-64 the full cookie.
 */
public final class LatencyProgram {
  public static final String INFLIGHT = "inflight";
  public static final String HIST = "hist";
  public static final String STATS = "stats";
  /** log2 buckets per function. */
  public static final int BUCKETS = 64;
  /** u64 slots of a function's {@value #STATS} value. */
  public static final int COUNT = 0, SUM = 1, MAX = 2, UNMATCHED = 3, UNEXITED = 4, MIN = 5, STAT_SLOTS = 6;
  public static final int KEY_SIZE = 16, VALUE_SIZE = 16;
  public static final String SITES = "sites";
  public static final String EVENTS = "calls";
  public static final String DROPS = "drops";
  /** Offsets in a streamed record (little-endian u64 words). */
  public static final int REC_KTIME = 0, REC_PID_TGID = 8, REC_GOID = 16, REC_COOKIE = 24, REC_LATENCY = 32,
      REC_SIZE = 40;
  /**
   * With {@code --stack}: where the exit program keeps the entry's stack id (u64 at fp + this),
   * from the moment its in-flight value is found to the end (for {@code --stacks}' aggregation).
   */
  public static final int EXIT_STACK_ID = -56;
  /** With {@code --stack}: the entry's stack id ({@link StackAsm}) after the record's other words. */
  public static final int REC_STACK = 40, REC_SIZE_WITH_STACK = 48;

  /** Compare-and-exchange attempts for a function's max or min ({@link #extreme}). */
  static final int EXTREME_TRIES = 8;
  private static final int KEY = -24, SCRATCH = -8, VALUE = -40, INDEX = -44, SAVED = EXIT_STACK_ID, COOKIE = -64;
  /**
   * With a query: the exit's log2 bucket (below the ring's scratch at fp-72), under it the key the
   * exit builds; the entry's larger value ends at {@code QUERY_VALUE}. The query's window is below.
   */
  private static final int BUCKET = -80, QUERY_VALUE = -48;
  private static final int BPF_ANY = 0;
  /** SP's offset in pt_regs: a latency plan is for amd64, the only architecture {@code Planner} plans. */
  private static final int SP = Arch.AMD64.stackPointer().ptRegsOffset();

  private LatencyProgram() {}

  /**
   * The entry probe's program; {@code fsbaseOffset} as in {@link FuncsProgram#generate}. With a
   * query ({@link LatencyQueryAsm}) it first decides the entry's condition, before anything is
   * read or stored, and stores the larger in-flight value.
   */
  public static Program entryProbe(LatencyPlan plan, OptionalLong fsbaseOffset) {
    return entryProbe(plan, fsbaseOffset, Optional.empty());
  }

  /**
   * The entry probe's program with {@code --stack}: after the query's entry test, {@link
   * StackAsm}'s walk (site index: the function's, from the cookie; starts by function index), its
   * id stored in the in-flight value at {@link #stackIdOffset} (the value is then
   * {@link #inflightValueSize} long, below the slots the program uses otherwise). Without
   * {@code stack}, the same program as {@link #entryProbe(LatencyPlan, OptionalLong)}.
   */
  public static Program entryProbe(LatencyPlan plan, OptionalLong fsbaseOffset, Optional<Unwinding> stack) {
    Optional<LatencyQuery> q = plan.query();
    int value = stack.isPresent() ? QUERY_VALUE - inflightValueSize(plan, true)
        : q.map(x -> QUERY_VALUE - x.inflightValueSize()).orElse(VALUE);
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1), call(Helper.GET_ATTACH_COOKIE), mov64(Reg.R7, Reg.R0));
    if (q.isPresent()) {
      b.add(alu32(AluOp.MOV, Reg.R7, Reg.R7));
      b.addAll(LatencyQueryAsm.entry(q.get(), value, LatencyQueryAsm.window(q.get(), value)));
    }
    stack.ifPresent(u -> b.addAll(StackAsm.walk(u.starts(), u.depth(), Reg.R7, Reg.R9,
        value + stackIdOffset(plan), "st_")));
    b.addAll(key(plan, fsbaseOffset));
    b.add(call(Helper.KTIME_GET_NS),
        stx(Size.DW, Reg.R10, value, Reg.R0),
        stx(Size.DW, Reg.R10, value + 8, Reg.R7),
        ldMap(Reg.R1, INFLIGHT),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, KEY),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, "store"),
        ldx(Size.DW, Reg.R1, Reg.R0, 8));
    b.addAll(statAdd("stale", Reg.R1, UNEXITED));
    b.label("store")
        .add(ldMap(Reg.R1, INFLIGHT),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, KEY),
            mov64(Reg.R3, Reg.R10),
            add64(Reg.R3, value),
            mov64(Reg.R4, BPF_ANY),
            call(Helper.MAP_UPDATE_ELEM))
        .label("out")
        .add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /**
   * Bytes of an in-flight value: {ktime, function} (and the query's captures and key parts), and
   * with {@code --stack} the stack id after them.
   */
  public static int inflightValueSize(LatencyPlan plan, boolean stack) {
    return stackIdOffset(plan) + (stack ? 8 : 0);
  }

  /** Where an in-flight value holds the stack id with {@code --stack}: after the rest. */
  public static int stackIdOffset(LatencyPlan plan) {
    return plan.query().map(LatencyQuery::inflightValueSize).orElse(VALUE_SIZE);
  }

  /** The program of every exit probe, aggregating only. */
  public static Program exitProbe(LatencyPlan plan, OptionalLong fsbaseOffset) {
    return exitProbe(plan, fsbaseOffset, OptionalLong.empty(), false, 0);
  }

  /**
   * The program of every exit probe; with {@code streamMinNs} present it also streams each
   * completed call of at least that many ns, with its goroutine id, into ring buffer
   * {@value #EVENTS} of {@code ringBytes} (unused without {@code streamMinNs}).
   */
  public static Program exitProbe(LatencyPlan plan, OptionalLong fsbaseOffset, OptionalLong streamMinNs,
      boolean bySite, int ringBytes) {
    return exitProbe(plan, fsbaseOffset, streamMinNs, bySite, ringBytes, false);
  }

  /**
   * As {@link #exitProbe(LatencyPlan, OptionalLong, OptionalLong, boolean, int)}; with {@code stack}
   * the in-flight values carry the entry's stack id ({@link #entryProbe(LatencyPlan, OptionalLong,
   * Optional)}), and a streamed record is {@link #REC_SIZE_WITH_STACK} bytes with it at
   * {@link #REC_STACK}.
   */
  public static Program exitProbe(LatencyPlan plan, OptionalLong fsbaseOffset, OptionalLong streamMinNs,
      boolean bySite, int ringBytes, boolean stack) {
    return exitProbe(plan, fsbaseOffset, streamMinNs, bySite, ringBytes, stack, false);
  }

  /** Bytes of a key of {@link KeyedAsm#BYKEY} per stack ({@code --stacks}): {u32 function, u32 0, u64 stack id}. */
  public static final int STACK_KEY_SIZE = 16;

  /**
   * As {@link #exitProbe(LatencyPlan, OptionalLong, OptionalLong, boolean, int, boolean)}; with
   * {@code perStack} ({@code --stacks}, which needs {@code stack}) each completed call is also
   * added to the (function, stack id) row of {@link KeyedAsm#BYKEY} ({@link #STACK_KEY_SIZE}-byte
   * keys, the id read from the in-flight value), which {@code --by} then cannot use.
   */
  public static Program exitProbe(LatencyPlan plan, OptionalLong fsbaseOffset, OptionalLong streamMinNs,
      boolean bySite, int ringBytes, boolean stack, boolean perStack) {
    if (perStack && (!stack || plan.query().map(LatencyQuery::keyed).orElse(false))) {
      throw new IllegalArgumentException("calls are counted per stack only with the entry's stack and without --by");
    }
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1),
            call(Helper.KTIME_GET_NS),
            mov64(Reg.R9, Reg.R0),
            mov64(Reg.R1, Reg.R6),
            call(Helper.GET_ATTACH_COOKIE),
            stx(Size.DW, Reg.R10, COOKIE, Reg.R0),
            mov64(Reg.R7, Reg.R0),
            alu32(AluOp.MOV, Reg.R7, Reg.R7));
    Optional<LatencyQuery> q = plan.query();
    // an exit whose entry --where rejected finds no entry: not evidence of anything
    boolean countUnmatched = q.map(x -> !x.entryFiltered()).orElse(true);
    int keyBuf = BUCKET - q.map(LatencyQuery::keySize).orElse(0) - (perStack ? STACK_KEY_SIZE : 0);
    Window window = q.map(x -> LatencyQueryAsm.window(x, keyBuf)).orElse(null);
    b.addAll(key(plan, fsbaseOffset));
    b.add(ldMap(Reg.R1, INFLIGHT),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, KEY),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "found"));
    if (countUnmatched) {
      b.addAll(statAdd("nokey", Reg.R7, UNMATCHED));
    }
    b.add(Insn.ja("out"))
        .label("found")
        .add(ldx(Size.DW, Reg.R1, Reg.R0, 8),
            jmp(JmpOp.JEQ, Reg.R1, Reg.R7, "same"),
            // another function's frame at this depth: it never exited, and this exit has no entry
            stx(Size.DW, Reg.R10, SAVED, Reg.R1));
    if (countUnmatched) {
      b.addAll(statAdd("other", Reg.R7, UNMATCHED));
    }
    b.add(ldx(Size.DW, Reg.R1, Reg.R10, SAVED));
    b.addAll(statAdd("stale", Reg.R1, UNEXITED));
    b.addAll(delete());
    b.add(Insn.ja("out"))
        .label("same")
        .add(ldx(Size.DW, Reg.R1, Reg.R0, 0),
            alu64(AluOp.SUB, Reg.R9, Reg.R1));
    if (stack) { // the entry's stack id, kept past the delete in SAVED (unused on this path)
      b.add(ldx(Size.DW, Reg.R1, Reg.R0, stackIdOffset(plan)),
          stx(Size.DW, Reg.R10, SAVED, Reg.R1));
    }
    if (perStack) { // the key of the call's row: {function, 0, stack id}
      b.add(stx(Size.DW, Reg.R10, keyBuf + 8, Reg.R1),
          stx(Size.W, Reg.R10, keyBuf, Reg.R7),
          st(Size.W, Reg.R10, keyBuf + 4, 0));
    }
    if (q.isPresent()) {
      b.addAll(LatencyQueryAsm.saveFromValue(q.get(), keyBuf, window));
    }
    b.addAll(delete());
    if (q.isPresent()) {
      b.addAll(LatencyQueryAsm.exit(q.get(), keyBuf, COOKIE, window));
    }
    boolean keyed = q.map(LatencyQuery::keyed).orElse(false) || perStack;
    // R1 = floor(log2(R9)) (0 for 0 and 1), by halving: R2 holds what is left of the value.
    b.add(mov64(Reg.R1, 0), mov64(Reg.R2, Reg.R9));
    for (int shift : new int[] {32, 16, 8, 4, 2, 1}) {
      String skip = "log" + shift;
      b.add(mov64(Reg.R3, Reg.R2),
          alu64(AluOp.RSH, Reg.R3, shift),
          jmp(JmpOp.JEQ, Reg.R3, 0, skip),
          mov64(Reg.R2, Reg.R3),
          add64(Reg.R1, shift))
          .label(skip);
    }
    if (keyed) {
      b.add(stx(Size.DW, Reg.R10, BUCKET, Reg.R1));
    }
    b.add(mov64(Reg.R2, Reg.R7),
        alu64(AluOp.LSH, Reg.R2, 6),
        alu64(AluOp.ADD, Reg.R1, Reg.R2),
        stx(Size.W, Reg.R10, INDEX, Reg.R1),
        ldMap(Reg.R1, HIST),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, INDEX),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, "stats"),
        mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R0, 0, Reg.R1))
        .label("stats")
        .add(stx(Size.W, Reg.R10, INDEX, Reg.R7),
            ldMap(Reg.R1, STATS),
            mov64(Reg.R2, Reg.R10),
            add64(Reg.R2, INDEX),
            call(Helper.MAP_LOOKUP_ELEM),
            jmp(JmpOp.JEQ, Reg.R0, 0, "out"),
            mov64(Reg.R1, 1),
            atomicAdd(Size.DW, Reg.R0, COUNT * 8, Reg.R1),
            atomicAdd(Size.DW, Reg.R0, SUM * 8, Reg.R9),
            mov64(Reg.R5, Reg.R0));
    b.addAll(extreme("max", MAX, "min", true));
    b.label("min");
    b.addAll(extreme("min", MIN, "stream", false));
    b.label("stream");
    if (keyed) {
      b.addAll(KeyedAsm.add(keyBuf, BUCKET, INDEX, "keyed"));
      b.label("keyed");
    }
    if (bySite) {
      b.add(ldx(Size.DW, Reg.R1, Reg.R10, COOKIE),
          alu64(AluOp.RSH, Reg.R1, 32));
      if (q.isPresent()) {
        b.add(alu64(AluOp.AND, Reg.R1, (int) LatencyPlan.EXIT_BITS));
      }
      b.add(
          stx(Size.W, Reg.R10, INDEX, Reg.R1),
          ldMap(Reg.R1, SITES),
          mov64(Reg.R2, Reg.R10),
          add64(Reg.R2, INDEX),
          call(Helper.MAP_LOOKUP_ELEM),
          jmp(JmpOp.JEQ, Reg.R0, 0, "sited"),
          mov64(Reg.R1, 1),
          atomicAdd(Size.DW, Reg.R0, 0, Reg.R1),
          atomicAdd(Size.DW, Reg.R0, 8, Reg.R9))
          .label("sited");
    }
    if (streamMinNs.isPresent()) {
      // R6 (pt_regs) is no longer needed: it holds the record
      b.add(ldImm64(Reg.R1, streamMinNs.getAsLong()),
          jmp(JmpOp.JGT, Reg.R1, Reg.R9, "out"));
      b.addAll(RingBufAsm.reserveOrCountDrop("ev", EVENTS, DROPS, stack ? REC_SIZE_WITH_STACK : REC_SIZE, Reg.R6,
          -72, "out"));
      if (stack) {
        b.add(ldx(Size.DW, Reg.R1, Reg.R10, SAVED),
            stx(Size.DW, Reg.R6, REC_STACK, Reg.R1));
      }
      b.add(stx(Size.DW, Reg.R6, REC_LATENCY, Reg.R9),
          ldx(Size.DW, Reg.R1, Reg.R10, COOKIE),
          stx(Size.DW, Reg.R6, REC_COOKIE, Reg.R1),
          call(Helper.KTIME_GET_NS),
          stx(Size.DW, Reg.R6, REC_KTIME, Reg.R0),
          call(Helper.GET_CURRENT_PID_TGID),
          stx(Size.DW, Reg.R6, REC_PID_TGID, Reg.R0),
          mov64(Reg.R1, Reg.R6),
          add64(Reg.R1, REC_GOID),
          mov64(Reg.R2, 8),
          mov64(Reg.R3, Reg.R8),
          add64(Reg.R3, Math.toIntExact(plan.goidOffset())),
          call(Helper.PROBE_READ_USER));
      b.addAll(RingBufAsm.submitQuietly("ev", EVENTS, ringBytes, Reg.R6));
    }
    b.label("out")
        .add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /**
   * Leaves {g, g.stack.hi - SP} at fp-24 and g in R8; jumps to "out" when g is unknown. Clobbers
   * R0-R5.
   */
  private static List<Item> key(LatencyPlan plan, OptionalLong fsbaseOffset) {
    List<Item> out = new ArrayList<>();
    if (plan.g() instanceof GAccess.InRegister r) {
      out.add(ldx(Size.DW, Reg.R8, Reg.R6, r.register().ptRegsOffset()));
    } else if (plan.g() instanceof GAccess.ThreadLocal t) {
      long fs = fsbaseOffset.orElseThrow(() -> new IllegalArgumentException(
          "g is thread-local in " + plan.binary() + " but no task_struct fsbase offset was given"));
      out.addAll(List.of(
          call(Helper.GET_CURRENT_TASK),
          mov64(Reg.R3, Reg.R0),
          add64(Reg.R3, Math.toIntExact(fs)),
          mov64(Reg.R1, Reg.R10),
          add64(Reg.R1, SCRATCH),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_KERNEL),
          jmp(JmpOp.JNE, Reg.R0, 0, "out"),
          ldx(Size.DW, Reg.R3, Reg.R10, SCRATCH),
          add64(Reg.R3, Math.toIntExact(t.offset())),
          mov64(Reg.R1, Reg.R10),
          add64(Reg.R1, SCRATCH),
          mov64(Reg.R2, 8),
          call(Helper.PROBE_READ_USER),
          jmp(JmpOp.JNE, Reg.R0, 0, "out"),
          ldx(Size.DW, Reg.R8, Reg.R10, SCRATCH)));
    }
    out.addAll(List.of(
        jmp(JmpOp.JEQ, Reg.R8, 0, "out"),
        mov64(Reg.R3, Reg.R8),
        add64(Reg.R3, Math.toIntExact(plan.stackHiOffset())),
        mov64(Reg.R1, Reg.R10),
        add64(Reg.R1, SCRATCH),
        mov64(Reg.R2, 8),
        call(Helper.PROBE_READ_USER),
        jmp(JmpOp.JNE, Reg.R0, 0, "out"),
        ldx(Size.DW, Reg.R1, Reg.R10, SCRATCH),
        ldx(Size.DW, Reg.R2, Reg.R6, SP),
        alu64(AluOp.SUB, Reg.R1, Reg.R2),
        stx(Size.DW, Reg.R10, KEY, Reg.R8),
        stx(Size.DW, Reg.R10, KEY + 8, Reg.R1)));
    return out;
  }

  /**
   * Raises (or, for the minimum, lowers; 0 = none yet) the u64 at {@code slot} of the stats value
   * R5 points at to the latency in R9, by compare-and-exchange: all CPUs share the value. A failed
   * exchange means another CPU has just moved the same extreme towards ours; the new value comes
   * back in R0 and is compared again, up to {@value #EXTREME_TRIES} times. Clobbers R0, R1.
   */
  static List<Item> extreme(String id, int slot, String done, boolean max) {
    List<Item> out = new ArrayList<>();
    out.add(ldx(Size.DW, Reg.R0, Reg.R5, slot * 8));
    for (int i = 0; i < EXTREME_TRIES; i++) {
      if (max) {
        out.add(jmp(JmpOp.JGE, Reg.R0, Reg.R9, done));
      } else {
        String swap = id + "_swap" + i;
        out.add(jmp(JmpOp.JEQ, Reg.R0, 0, swap));
        out.add(jmp(JmpOp.JLE, Reg.R0, Reg.R9, done));
        out.add(new Label(swap));
      }
      out.add(mov64(Reg.R1, Reg.R0));
      out.add(atomicCmpxchg(Size.DW, Reg.R5, slot * 8, Reg.R9));
      out.add(jmp(JmpOp.JEQ, Reg.R0, Reg.R1, done));
    }
    return out;
  }

  /** inflight.delete(key); clobbers R0-R5. */
  private static List<Item> delete() {
    return List.of(ldMap(Reg.R1, INFLIGHT), mov64(Reg.R2, Reg.R10), add64(Reg.R2, KEY),
        call(Helper.MAP_DELETE_ELEM));
  }

  /** stats[fn].slot += 1 (atomically); clobbers R0-R5; {@code id} makes the label unique. */
  private static List<Item> statAdd(String id, Reg fn, int slot) {
    String skip = "skip_" + id;
    return List.of(
        stx(Size.W, Reg.R10, INDEX, fn),
        ldMap(Reg.R1, STATS),
        mov64(Reg.R2, Reg.R10),
        add64(Reg.R2, INDEX),
        call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, skip),
        mov64(Reg.R1, 1),
        atomicAdd(Size.DW, Reg.R0, slot * 8, Reg.R1),
        new Label(skip));
  }
}
