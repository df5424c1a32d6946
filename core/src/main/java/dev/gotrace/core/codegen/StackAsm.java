package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.jmp32;
import static dev.gotrace.probes.asm.Insn.ldImm64;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.stack.FrameStart;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.MapSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The kernel half of {@code --stack}: an unrolled frame-pointer walk (amd64) that a probe program
 * embeds, deduplicating each stack into hash map {@value #STACKS} under a 64-bit id.
 *
 * <h2>The walk</h2>
 * Frame 0 is the probed PC ({@code regs->ip}). Frame 1, the caller's return address, is the word
 * at {@code SP + d}, where {@code d} is the site's SP delta proven at plan time ({@link
 * FrameStart}; a site the plan could not prove stops after frame 0 with {@link #END_UNPROVEN}).
 * The caller's frame pointer is the word at BP when {@code BP == SP + d − 8} (the probed function's
 * frame is set up), else BP itself. From there: {@code ret = [bp + 8]; bp = [bp]} until BP or a
 * return address is 0 ({@link #END_CHAIN}), a read faults ({@link #END_UNREADABLE}), or the
 * {@code depth} frames are collected while BP still points somewhere ({@link #END_DEPTH}).
 *
 * <h2>The stack map</h2>
 * {@value #STACKS}: hash, key u64 id, value {@code valueWords(depth)} u64 words: word 0 = the
 * kernel's end code ({@code END_*}), words 1..depth = runtime PCs, innermost first, 0 after the
 * last. The id is FNV-1a over those words taken as 64-bit units ({@link #hash}); 0 is never an id
 * (a hash of 0 becomes 1). A stack is inserted with {@code BPF_NOEXIST}: the first insert wins, an
 * equal stack (EEXIST) keeps its id, a full map gives id 0, which the decoder shows as {@code
 * End.MAP_FULL}. The stack is built in {@value #STACKBUF}, a one-entry per-CPU array whose value
 * is the stack value followed by three scratch words (BP, return address, d).
 *
 * <h2>Register and stack-slot contract of {@link #walk}</h2>
 * <ul>
 *   <li>In: R6 = the probe's {@code pt_regs} (read only); {@code siteIndex} (any register) holds
 *       the site's index into {@code sites} in its low 32 bits, read once at the start.
 *   <li>Uses the 8-byte stack slot {@code fp[slot .. slot+8)} and no other stack memory.
 *   <li>Clobbers R0–R5 and {@code work}, a callee-saved register (R7–R9) the caller lends; R6 and
 *       the other callee-saved registers are preserved.
 *   <li>Out: {@code work} = the stack id (0: not recorded — the map was full, or the scratch
 *       lookup failed), also stored as a u64 at {@code fp[slot]}. Falls through at the end.
 *   <li>Labels: every label starts with {@code prefix}; use a distinct prefix per embedded walk.
 *   <li>Maps: {@link #maps(int, int)} ({@value #STACKS}, {@value #STACKBUF}).
 * </ul>
 */
public final class StackAsm {
  public static final String STACKS = "stacks";
  public static final String STACKBUF = "stackbuf";
  /** Frames when {@code --stack} names no depth, and the most {@code --stack=N} accepts. */
  public static final int DEFAULT_DEPTH = 32, MAX_DEPTH = 127;
  /** Distinct stacks {@value #STACKS} holds by default. */
  public static final int DEFAULT_CAPACITY = 16384;
  /** The kernel's end codes, word 0 of a stack value. */
  public static final int END_CHAIN = 1, END_UNREADABLE = 2, END_DEPTH = 3, END_UNPROVEN = 4;
  static final long FNV_OFFSET = 0xcbf29ce484222325L, FNV_PRIME = 0x100000001b3L;
  private static final int BPF_NOEXIST = 1, EEXIST = 17;

  private StackAsm() {}

  /** u64 words of a stack value at {@code depth}: the end code, then the PCs. */
  public static int valueWords(int depth) {
    checkDepth(depth);
    return 1 + depth;
  }

  /** The maps a walk at {@code depth} uses, {@value #STACKS} holding up to {@code capacity} stacks. */
  public static List<MapSpec> maps(int depth, int capacity) {
    int words = valueWords(depth);
    return List.of(MapSpec.hash(STACKS, 8, words * 8, capacity),
        MapSpec.perCpuArray(STACKBUF, (words + 3) * 8, 1));
  }

  /** The id of a stack value's words, as the kernel computes it. */
  public static long hash(long[] words) {
    long h = FNV_OFFSET;
    for (long w : words) {
      h ^= w;
      h *= FNV_PRIME;
    }
    return h == 0 ? 1 : h;
  }

  /**
   * The walk (see the class comment for the contract), for probes whose site index {@code i}
   * starts as {@code sites.get(i)}; an index past the list stops after frame 0.
   */
  public static List<Item> walk(List<FrameStart> sites, int depth, Reg siteIndex, Reg work, int slot,
      String prefix) {
    checkDepth(depth);
    if (work == Reg.R6 || work.ordinal() < Reg.R6.ordinal() || work.ordinal() > Reg.R9.ordinal()) {
      throw new IllegalArgumentException("the walk's work register must be R7, R8 or R9, not " + work);
    }
    Objects.requireNonNull(prefix);
    int words = valueWords(depth);
    int bpSlot = words * 8, retSlot = bpSlot + 8, dSlot = bpSlot + 16;
    int sp = Arch.AMD64.stackPointer().ptRegsOffset();
    int bp = Arch.AMD64.register("rbp").orElseThrow().ptRegsOffset();
    String got = prefix + "got", unproven = prefix + "unproven", chain = prefix + "chain",
        unreadable = prefix + "unreadable", deep = prefix + "depth", hash = prefix + "hash",
        none = prefix + "none", done = prefix + "done", stored = prefix + "stored";
    List<Item> out = new ArrayList<>();
    out.add(stx(Size.W, Reg.R10, slot, siteIndex));
    out.add(st(Size.W, Reg.R10, slot + 4, 0));
    out.add(ldMap(Reg.R1, STACKBUF));
    out.add(mov64(Reg.R2, Reg.R10));
    out.add(add64(Reg.R2, slot + 4));
    out.add(call(Helper.MAP_LOOKUP_ELEM));
    out.add(jmp(JmpOp.JEQ, Reg.R0, 0, none));
    out.add(mov64(work, Reg.R0));
    for (int i = 0; i < words; i++) { // the per-CPU buffer holds the last stack built here
      out.add(st(Size.DW, work, i * 8, 0));
    }
    out.add(ldx(Size.DW, Reg.R1, Reg.R6, Arch.AMD64.ptRegsPc()));
    out.add(stx(Size.DW, work, pc(0), Reg.R1));
    if (depth == 1) {
      out.add(ja(deep));
    } else {
      out.add(ldx(Size.W, Reg.R1, Reg.R10, slot));
      out.addAll(dispatch(sites, work, dSlot, got, unproven, prefix));
      // frame 1: the return address at SP + d
      out.add(new Label(got));
      out.add(ldx(Size.DW, Reg.R3, Reg.R6, sp));
      out.add(ldx(Size.DW, Reg.R1, work, dSlot));
      out.add(alu64(AluOp.ADD, Reg.R3, Reg.R1));
      out.addAll(readUser(work, retSlot, 8));
      out.add(jmp(JmpOp.JNE, Reg.R0, 0, unreadable));
      out.add(ldx(Size.DW, Reg.R1, work, retSlot));
      out.add(jmp(JmpOp.JEQ, Reg.R1, 0, chain));
      out.add(stx(Size.DW, work, pc(1), Reg.R1));
      // the caller's BP: [BP] when BP = SP + d - 8 (this frame's BP is set up), else BP
      out.add(ldx(Size.DW, Reg.R1, Reg.R6, bp));
      out.add(ldx(Size.DW, Reg.R2, Reg.R6, sp));
      out.add(ldx(Size.DW, Reg.R3, work, dSlot));
      out.add(alu64(AluOp.ADD, Reg.R2, Reg.R3));
      out.add(add64(Reg.R2, -8));
      out.add(jmp(JmpOp.JNE, Reg.R1, Reg.R2, prefix + "callerbp"));
      out.add(mov64(Reg.R3, Reg.R1));
      out.addAll(readUser(work, bpSlot, 8));
      out.add(jmp(JmpOp.JNE, Reg.R0, 0, unreadable));
      out.add(ja(prefix + "frame2"));
      out.add(new Label(prefix + "callerbp"));
      out.add(stx(Size.DW, work, bpSlot, Reg.R1));
      out.add(new Label(prefix + "frame2"));
      for (int i = 2; i < depth; i++) { // ret = [bp + 8]; bp = [bp]: one 16-byte read into (BP, RET)
        out.add(ldx(Size.DW, Reg.R3, work, bpSlot));
        out.add(jmp(JmpOp.JEQ, Reg.R3, 0, chain));
        out.addAll(readUser(work, bpSlot, 16));
        out.add(jmp(JmpOp.JNE, Reg.R0, 0, unreadable));
        out.add(ldx(Size.DW, Reg.R1, work, retSlot));
        out.add(jmp(JmpOp.JEQ, Reg.R1, 0, chain));
        out.add(stx(Size.DW, work, pc(i), Reg.R1));
      }
      out.add(ldx(Size.DW, Reg.R1, work, bpSlot));
      out.add(jmp(JmpOp.JEQ, Reg.R1, 0, chain));
      out.add(ja(deep));
      out.addAll(end(unproven, work, END_UNPROVEN, hash));
      out.addAll(end(chain, work, END_CHAIN, hash));
      out.addAll(end(unreadable, work, END_UNREADABLE, hash));
    }
    out.addAll(end(deep, work, END_DEPTH, hash));
    // the id: FNV-1a over the value's words
    out.add(new Label(hash));
    out.add(ldImm64(Reg.R1, FNV_OFFSET));
    out.add(ldImm64(Reg.R2, FNV_PRIME));
    for (int i = 0; i < words; i++) {
      out.add(ldx(Size.DW, Reg.R3, work, i * 8));
      out.add(alu64(AluOp.XOR, Reg.R1, Reg.R3));
      out.add(alu64(AluOp.MUL, Reg.R1, Reg.R2));
    }
    out.add(jmp(JmpOp.JNE, Reg.R1, 0, prefix + "nonzero"));
    out.add(mov64(Reg.R1, 1));
    out.add(new Label(prefix + "nonzero"));
    out.add(stx(Size.DW, Reg.R10, slot, Reg.R1));
    out.add(ldMap(Reg.R1, STACKS));
    out.add(mov64(Reg.R2, Reg.R10));
    out.add(add64(Reg.R2, slot));
    out.add(mov64(Reg.R3, work));
    out.add(mov64(Reg.R4, BPF_NOEXIST));
    out.add(call(Helper.MAP_UPDATE_ELEM));
    out.add(jmp(JmpOp.JEQ, Reg.R0, 0, stored));
    out.add(jmp(JmpOp.JEQ, Reg.R0, -EEXIST, stored));
    out.add(new Label(none)); // no scratch buffer, or the map is full: id 0
    out.add(mov64(work, 0));
    out.add(stx(Size.DW, Reg.R10, slot, work));
    out.add(ja(done));
    out.add(new Label(stored));
    out.add(ldx(Size.DW, work, Reg.R10, slot));
    out.add(new Label(done));
    return out;
  }

  /** Byte offset of PC {@code i} in a stack value. */
  private static int pc(int i) {
    return 8 * (1 + i);
  }

  private static void checkDepth(int depth) {
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("stack depth " + depth + " is not in 1.." + MAX_DEPTH);
    }
  }

  /** buffer[off .. off+n) = user memory at R3 (R1, R2 set here); clobbers R0–R5. */
  private static List<Item> readUser(Reg work, int off, int n) {
    return List.of(mov64(Reg.R1, work), add64(Reg.R1, off), mov64(Reg.R2, n), call(Helper.PROBE_READ_USER));
  }

  private static List<Item> end(String label, Reg work, int code, String hash) {
    return List.of(new Label(label), st(Size.DW, work, 0, code), ja(hash));
  }

  /**
   * The index in R1 (u32) to its start ({@link SiteTable}: -1 for an unproven start): d stored
   * into the buffer and a jump to {@code got}, or a jump to {@code unproven}. Clobbers R2.
   */
  private static List<Item> dispatch(List<FrameStart> sites, Reg work, int dSlot, String got, String unproven,
      String prefix) {
    List<Item> out = new ArrayList<>();
    if (sites.isEmpty()) {
      out.add(ja(unproven));
      return out;
    }
    out.add(jmp32(JmpOp.JGE, Reg.R1, sites.size(), unproven));
    List<Long> d = sites.stream().map(s -> s instanceof FrameStart.Proven p ? (long) p.spDelta() : -1L).toList();
    out.addAll(SiteTable.lookup(d, Reg.R1, Reg.R2, prefix + "site"));
    out.add(jmp(JmpOp.JSLT, Reg.R2, 0, unproven));
    out.add(stx(Size.DW, work, dSlot, Reg.R2));
    out.add(ja(got));
    return out;
  }
}
