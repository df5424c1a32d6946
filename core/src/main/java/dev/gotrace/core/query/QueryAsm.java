package dev.gotrace.core.query;

import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The eBPF of a {@link FunctionQuery}, as blocks a program embeds. Register contract: R6 holds
 * {@code struct pt_regs *} on entry to every block; the blocks write only R0–R5 and the {@link
 * Window} (and, for keys, the key's bytes), and preserve R6–R9. SP is read from pt_regs.
 * Labels start with {@code prefix}, so that several copies can live in one program.
 *
 * <p>Reads: a register is loaded from pt_regs; memory (stack slots, pointees, string bytes) with
 * {@code bpf_probe_read_user}. A nil pointer on a path, or a read that faults, makes the leaf
 * false and a key part unreadable. Floats compare by their IEEE bits turned into an unsigned
 * order (BPF has no floats). Strings: the header, then at most the literal's length of bytes
 * into the window, compared 8 bytes at a time with constants, or byte by byte for an order.
 */
public final class QueryAsm {
  private QueryAsm() {}

  /** What the window must hold for {@code q}'s conditions, captures and keys. */
  public static int windowBytes(FunctionQuery q) {
    int longest = 0;
    List<Cond> all = new ArrayList<>(q.captures());
    q.entryFilter().ifPresent(all::add);
    q.exitFilter().ifPresent(all::add);
    for (KeyPart p : q.keys().parts()) {
      if (p.source() instanceof KeyPart.Test t) {
        all.add(t.cond());
      }
    }
    for (Cond c : all) {
      longest = Math.max(longest, longestLiteral(c));
    }
    return Window.FIXED + (longest + 7) / 8 * 8;
  }

  private static int longestLiteral(Cond c) {
    if (c instanceof Cond.And a) {
      return Math.max(longestLiteral(a.left()), longestLiteral(a.right()));
    }
    if (c instanceof Cond.Or o) {
      return Math.max(longestLiteral(o.left()), longestLiteral(o.right()));
    }
    if (c instanceof Cond.Not n) {
      return longestLiteral(n.operand());
    }
    if (c instanceof Cond.StrCompare s) {
      return s.literal().length();
    }
    if (c instanceof Cond.HasAffix h) {
      return h.literal().length();
    }
    return 0;
  }

  /** Code that falls through when {@code c} holds and jumps to {@code reject} when it does not. */
  public static List<Item> test(Cond c, Window w, String prefix, String reject) {
    Emitter e = new Emitter(w, prefix);
    e.jumpIfFalse(c, reject);
    return bothWays(e.items(), reject);
  }

  /**
   * {@code block} with both its ways out kept in the program's control flow: the verifier refuses
   * an instruction no path reaches, and a test that can never pass (such as {@code s < ""}) would
   * leave the code after the block so, as one that always passes would leave {@code reject}'s.
   * The last jump to reject becomes a jump on a register holding 0 (the verifier follows only
   * the taken way, and discards the other as dead code), and a block with no jump to reject
   * gains one that is never taken.
   */
  static List<Item> bothWays(List<Item> block, String reject) {
    List<Item> out = new ArrayList<>(block);
    if (!Peephole.fallsThrough(out)) {
      int last = out.size() - 1;
      while (last >= 0 && out.get(last) instanceof Label) {
        last--;
      }
      if (last >= 0 && out.get(last) instanceof Insn in && in.opcode() == Insn.JMP && in.target() != null) {
        out.remove(last);
        out.addAll(last, List.of(Insn.mov64(Reg.R0, 0), Insn.jmp(JmpOp.JEQ, Reg.R0, 0, in.target())));
      }
    }
    if (out.stream().noneMatch(it -> it instanceof Insn in && reject.equals(in.target()))) {
      out.addAll(List.of(Insn.mov64(Reg.R0, 1), Insn.jmp(JmpOp.JEQ, Reg.R0, 0, reject)));
    }
    return List.copyOf(out);
  }

  /** Code that writes bit i = {@code cs.get(i)} holds, into the u64 at {@code fp + dst}. */
  public static List<Item> captures(List<Cond> cs, Window w, String prefix, int dst) {
    Emitter e = new Emitter(w, prefix);
    e.captures(cs, dst);
    return e.items();
  }

  /**
   * Code that writes the parts of one side of {@code k} at {@code base + off + part.offset()},
   * and ORs a part's bit into the u32 at {@code base + off + }{@link KeyLayout#UNREADABLE} when
   * it cannot be read (its bytes then zero). It writes neither the function index nor clears the
   * unreadable word: the program zeroes the key first. {@code base} is R10 (the key on the stack)
   * or one of R7–R9 (a map value's pointer): it must survive helper calls.
   */
  public static List<Item> keys(KeyLayout k, boolean exitSide, Window w, String prefix, Reg base, int off) {
    if (base != Reg.R10 && base != Reg.R7 && base != Reg.R8 && base != Reg.R9) {
      throw new IllegalArgumentException("the key's base must be R7-R10, not " + base);
    }
    Emitter e = new Emitter(w, prefix);
    for (KeyPart p : k.side(exitSide)) {
      e.keyPart(p, base, off);
    }
    return e.items();
  }

  /** The test of an optional filter (nothing without one). */
  public static List<Item> test(Optional<Cond> c, Window w, String prefix, String reject) {
    return c.map(x -> test(x, w, prefix, reject)).orElse(List.of());
  }
}
