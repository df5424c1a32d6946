package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.atomicAdd;
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

import dev.gotrace.core.plan.HistPlan;
import dev.gotrace.core.query.HistQuery;
import dev.gotrace.core.query.QueryAsm;
import dev.gotrace.core.query.Window;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.util.List;

/**
 * The entry probe of {@code --hist}: reads the value, and adds it to the histogram of its
 * (function, key) in hash map {@value #HIST} (or the function's row of array {@value #OTHER}
 * when the map is full, shown as {@code (other)}).
 *
 * <p>A value holds {@link #SLOTS} u64: count, sum (integers; wraps like Go's), the order key of
 * the largest value, the complement of the order key of the smallest (both kept with the same
 * compare-and-exchange maximum), NaNs, unreadable reads, then {@link #BUCKETS} buckets. The
 * bucket of an integer v is {@code 64 + bitlen(v)} for v &ge; 0 (64 holds 0, 64 + k holds
 * [2^(k-1), 2^k)) and {@code 64 - bitlen(|v|)} for v &lt; 0, mirrored; of a float, {@code 64 ± k}
 * with k = e + 32 for |x| in [2^e, 2^(e+1)), clamped to 1..64 (infinities in 64), and 64 for
 * |x| &lt; 2^-31 (zeros and subnormals too). The order key makes unsigned order the value's:
 * signed integers with the sign bit flipped, floats with the sign bit set when positive and all
 * bits flipped when negative.
 *
 * <p>Registers: R6 pt_regs, R7 the cookie (site index, group in the high half), R9 scratch for
 * the value's words.
 */
public final class HistProgram {
  public static final String HIST = "hist", OTHER = "histother", ZERO = "histzero";
  public static final int COUNT = 0, SUM = 1, MAX = 2, NOT_MIN = 3, NAN = 4, UNREADABLE = 5, FIRST_BUCKET = 6,
      BUCKETS = 130, SLOTS = FIRST_BUCKET + BUCKETS, VALUE_SIZE = SLOTS * 8;
  /** The bucket of zero (and of floats below 2^-31 in magnitude). */
  public static final int ZERO_BUCKET = 64;
  private static final int BPF_NOEXIST = 1;
  // Stack slots (fp offsets).
  private static final int INDEX = -8, RAW = -16, BUCKET = -24, ORDER = -32, FLAG = -40, KEY_END = -40;

  private HistProgram() {}

  public static Program generate(HistPlan plan) {
    int key = KEY_END - plan.keySize();
    int windowBytes = Window.FIXED;
    for (HistQuery h : plan.groups()) {
      windowBytes = Math.max(windowBytes, QueryAsm.windowBytes(h.query()));
    }
    Window w = new Window(key - windowBytes, windowBytes);
    Program.Builder b = Program.builder()
        .add(mov64(Reg.R6, Reg.R1), call(Helper.GET_ATTACH_COOKIE), mov64(Reg.R7, Reg.R0));
    for (int off = key; off < KEY_END; off += 8) {
      b.add(st(Size.DW, Reg.R10, off, 0));
    }
    b.add(st(Size.DW, Reg.R10, FLAG, 0), mov64(Reg.R1, Reg.R7), alu64(AluOp.RSH, Reg.R1, 32));
    for (int g = 0; g < plan.groups().size(); g++) {
      b.add(jmp(JmpOp.JEQ, Reg.R1, g, "g" + g));
    }
    b.add(ja("out"));
    for (int g = 0; g < plan.groups().size(); g++) {
      HistQuery h = plan.groups().get(g);
      String p = "g" + g;
      b.label(p);
      h.query().entryFilter().ifPresent(c -> b.addAll(QueryAsm.test(c, w, p + "t", "out")));
      b.addAll(QueryAsm.keys(h.query().keys(), false, w, p + "k", Reg.R10, key));
      String unread = p + "_unread";
      List<Item> load = h.load(w, p + "v", unread);
      b.addAll(load);
      bucket(b, h.kind(), p);
      b.add(ja("agg"));
      // only when the load can fault: the verifier refuses code no jump reaches
      if (load.stream().anyMatch(i -> i instanceof Insn in && unread.equals(in.target()))) {
        b.label(unread).add(st(Size.DW, Reg.R10, FLAG, 2), ja("agg"));
      }
    }
    b.label("agg");
    aggregate(b, key);
    b.label("out").add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  /** From the value in R0: RAW, BUCKET, ORDER (or FLAG = 1 for a NaN). */
  private static void bucket(Program.Builder b, HistQuery.Kind kind, String p) {
    b.add(stx(Size.DW, Reg.R10, RAW, Reg.R0));
    switch (kind) {
      case SIGNED -> {
        b.add(mov64(Reg.R1, Reg.R0), ldImm64(Reg.R2, Long.MIN_VALUE), alu64(AluOp.XOR, Reg.R1, Reg.R2),
            stx(Size.DW, Reg.R10, ORDER, Reg.R1), mov64(Reg.R1, Reg.R0), mov64(Reg.R4, 0),
            jmp(JmpOp.JSGE, Reg.R0, 0, p + "_abs"), alu64(AluOp.NEG, Reg.R1, 0), mov64(Reg.R4, 1));
        b.label(p + "_abs");
        bitLength(b, p);
        place(b, p);
      }
      case UNSIGNED -> {
        b.add(stx(Size.DW, Reg.R10, ORDER, Reg.R0), mov64(Reg.R1, Reg.R0), mov64(Reg.R4, 0));
        bitLength(b, p);
        place(b, p);
      }
      case FLOAT64, FLOAT32 -> floatBucket(b, kind == HistQuery.Kind.FLOAT64, p);
    }
  }

  /** R2 = the bit length of the unsigned R1 (0 for 0); clobbers R1, R5. */
  private static void bitLength(Program.Builder b, String p) {
    b.add(mov64(Reg.R2, 0));
    for (int s : new int[] {32, 16, 8, 4, 2, 1}) {
      String next = p + "_b" + s;
      b.add(mov64(Reg.R5, Reg.R1), alu64(AluOp.RSH, Reg.R5, s), jmp(JmpOp.JEQ, Reg.R5, 0, next),
          alu64(AluOp.ADD, Reg.R2, s), mov64(Reg.R1, Reg.R5));
      b.label(next);
    }
    b.add(alu64(AluOp.ADD, Reg.R2, Reg.R1));
  }

  /** BUCKET = 64 + R2, or 64 - R2 when R4 (negative) is 1. */
  private static void place(Program.Builder b, String p) {
    b.add(mov64(Reg.R3, ZERO_BUCKET), jmp(JmpOp.JNE, Reg.R4, 0, p + "_neg"), alu64(AluOp.ADD, Reg.R3, Reg.R2),
        ja(p + "_put"));
    b.label(p + "_neg").add(alu64(AluOp.SUB, Reg.R3, Reg.R2));
    b.label(p + "_put").add(stx(Size.DW, Reg.R10, BUCKET, Reg.R3));
  }

  private static void floatBucket(Program.Builder b, boolean f64, String p) {
    int mantBits = f64 ? 52 : 23;
    int expMask = f64 ? 0x7ff : 0xff;
    int bias = f64 ? 1023 : 127;
    int signShift = f64 ? 63 : 31;
    // R1 = exponent field, R2 = mantissa, R4 = sign
    b.add(mov64(Reg.R1, Reg.R0), alu64(AluOp.RSH, Reg.R1, mantBits), alu64(AluOp.AND, Reg.R1, expMask),
        mov64(Reg.R2, Reg.R0), ldImm64(Reg.R3, (1L << mantBits) - 1), alu64(AluOp.AND, Reg.R2, Reg.R3),
        mov64(Reg.R4, Reg.R0), alu64(AluOp.RSH, Reg.R4, signShift), alu64(AluOp.AND, Reg.R4, 1),
        jmp(JmpOp.JNE, Reg.R1, expMask, p + "_finite"),
        jmp(JmpOp.JEQ, Reg.R2, 0, p + "_inf"),
        st(Size.DW, Reg.R10, FLAG, 1), ja("agg"));
    b.label(p + "_inf").add(mov64(Reg.R2, 64), ja(p + "_k"));
    b.label(p + "_finite").add(mov64(Reg.R2, 0), jmp(JmpOp.JEQ, Reg.R1, 0, p + "_k"),
        mov64(Reg.R2, Reg.R1), alu64(AluOp.SUB, Reg.R2, bias - 32),
        jmp(JmpOp.JSGE, Reg.R2, 1, p + "_lo"), mov64(Reg.R2, 0), ja(p + "_k"));
    b.label(p + "_lo").add(jmp(JmpOp.JSLE, Reg.R2, 64, p + "_k"), mov64(Reg.R2, 64));
    b.label(p + "_k");
    place(b, p);
    // ORDER: positive → bits | sign bit; negative → ~bits (within the float's width)
    b.add(mov64(Reg.R1, Reg.R0), jmp(JmpOp.JNE, Reg.R4, 0, p + "_oneg"));
    if (f64) {
      b.add(ldImm64(Reg.R3, Long.MIN_VALUE), alu64(AluOp.OR, Reg.R1, Reg.R3), ja(p + "_oput"));
      b.label(p + "_oneg").add(alu64(AluOp.XOR, Reg.R1, -1));
    } else {
      b.add(ldImm64(Reg.R3, 0x80000000L), alu64(AluOp.OR, Reg.R1, Reg.R3), ja(p + "_oput"));
      b.label(p + "_oneg").add(ldImm64(Reg.R3, 0xffffffffL), alu64(AluOp.XOR, Reg.R1, Reg.R3));
    }
    b.label(p + "_oput").add(stx(Size.DW, Reg.R10, ORDER, Reg.R1));
  }

  /** Finds or inserts the key's value (else the function's (other) row) and adds the value to it. */
  private static void aggregate(Program.Builder b, int key) {
    b.add(stx(Size.W, Reg.R10, key, Reg.R7),
        ldMap(Reg.R1, HIST), mov64(Reg.R2, Reg.R10), add64(Reg.R2, key), call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "add"),
        st(Size.W, Reg.R10, INDEX, 0),
        ldMap(Reg.R1, ZERO), mov64(Reg.R2, Reg.R10), add64(Reg.R2, INDEX), call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, "out"),
        mov64(Reg.R3, Reg.R0),
        ldMap(Reg.R1, HIST), mov64(Reg.R2, Reg.R10), add64(Reg.R2, key), mov64(Reg.R4, BPF_NOEXIST),
        call(Helper.MAP_UPDATE_ELEM),
        // inserted, inserted meanwhile by another CPU, or the map is full
        ldMap(Reg.R1, HIST), mov64(Reg.R2, Reg.R10), add64(Reg.R2, key), call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JNE, Reg.R0, 0, "add"),
        stx(Size.W, Reg.R10, INDEX, Reg.R7),
        ldMap(Reg.R1, OTHER), mov64(Reg.R2, Reg.R10), add64(Reg.R2, INDEX), call(Helper.MAP_LOOKUP_ELEM),
        jmp(JmpOp.JEQ, Reg.R0, 0, "out"));
    b.label("add").add(mov64(Reg.R5, Reg.R0), mov64(Reg.R1, 1), ldx(Size.DW, Reg.R2, Reg.R10, FLAG),
        jmp(JmpOp.JEQ, Reg.R2, 0, "count"), jmp(JmpOp.JEQ, Reg.R2, 1, "nan"),
        atomicAdd(Size.DW, Reg.R5, UNREADABLE * 8, Reg.R1), ja("out"));
    b.label("nan").add(atomicAdd(Size.DW, Reg.R5, NAN * 8, Reg.R1), ja("out"));
    b.label("count").add(atomicAdd(Size.DW, Reg.R5, COUNT * 8, Reg.R1),
        ldx(Size.DW, Reg.R9, Reg.R10, RAW), atomicAdd(Size.DW, Reg.R5, SUM * 8, Reg.R9),
        ldx(Size.DW, Reg.R1, Reg.R10, BUCKET), alu64(AluOp.AND, Reg.R1, 0xff),
        jmp(JmpOp.JLE, Reg.R1, BUCKETS - 1, "inrange"), mov64(Reg.R1, BUCKETS - 1));
    b.label("inrange").add(alu64(AluOp.LSH, Reg.R1, 3), mov64(Reg.R2, Reg.R5), alu64(AluOp.ADD, Reg.R2, Reg.R1),
        mov64(Reg.R1, 1), atomicAdd(Size.DW, Reg.R2, FIRST_BUCKET * 8, Reg.R1),
        ldx(Size.DW, Reg.R9, Reg.R10, ORDER));
    b.addAll(LatencyProgram.extreme("hmax", MAX, "hmin", true));
    b.label("hmin").add(ldx(Size.DW, Reg.R9, Reg.R10, ORDER), alu64(AluOp.XOR, Reg.R9, -1));
    b.addAll(LatencyProgram.extreme("hmin2", NOT_MIN, "out", true));
  }
}
