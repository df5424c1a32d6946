package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.alu64;
import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyQuery;
import dev.gotrace.core.query.FunctionQuery;
import dev.gotrace.core.query.QueryAsm;
import dev.gotrace.core.query.Window;
import dev.gotrace.probes.asm.AluOp;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --where}/{@code --by} parts of the latency programs, one block per query group
 * (chosen by the group number in the top bits of the cookie, {@link LatencyPlan#GROUP_SHIFT}).
 * The entry block rejects a call before anything is stored (its condition on parameters), and
 * saves into the in-flight value what the exit needs: the captured bits of entry-only
 * subconditions and the entry's key parts. The exit block copies those back to the stack,
 * decides the condition on results (a rejected call is deleted from the in-flight table and not
 * counted) and writes the exit's key parts.
 *
 * <p>The in-flight value with a query: {ktime, function, captured u64, key bytes}. Registers:
 * R6 pt_regs, R7 the function index, R9 the latency at the exit; the emitted query code keeps
 * R6-R9 and writes below its window's top.
 */
final class LatencyQueryAsm {
  /** Offsets in the in-flight value. */
  static final int CAPTURED = 16, KEY = 24;

  private LatencyQueryAsm() {}

  /** The stack window of the query code, ending at fp{@code end}: what the largest group needs. */
  static Window window(LatencyQuery q, int end) {
    int bytes = 0;
    for (FunctionQuery g : q.groups()) {
      bytes = Math.max(bytes, QueryAsm.windowBytes(g));
    }
    return new Window(end - bytes, bytes);
  }

  /**
   * The entry's blocks: with the cookie in R0, zeroes the value's captured word and key at
   * fp{@code value}, then per group tests the entry filter (to "out" when false), saves the
   * captured bits and writes the entry's key parts. Ends at "qe_done".
   */
  static List<Item> entry(LatencyQuery q, int value, Window w) {
    List<Item> out = new ArrayList<>();
    for (int off = CAPTURED; off < KEY + q.keySize(); off += 8) {
      out.add(st(Size.DW, Reg.R10, value + off, 0));
    }
    out.addAll(dispatch(q, "qe", List.of(mov64(Reg.R1, Reg.R0))));
    for (int g = 0; g < q.groups().size(); g++) {
      FunctionQuery f = q.groups().get(g);
      String p = "qe" + g + "_";
      out.add(new Label(p));
      f.entryFilter().ifPresent(c -> out.addAll(QueryAsm.test(c, w, p + "t", "out")));
      if (!f.captures().isEmpty()) {
        out.addAll(QueryAsm.captures(f.captures(), w, p + "c", value + CAPTURED));
      }
      if (q.keyed()) {
        out.addAll(QueryAsm.keys(f.keys(), false, w, p + "k", Reg.R10, value + KEY));
      }
      out.add(ja("qe_done"));
    }
    out.add(new Label("qe_done"));
    return out;
  }

  /**
   * Before the exit deletes the in-flight entry (R0 its value): copies the captured word to the
   * window's slot and the key bytes to fp{@code key}.
   */
  static List<Item> saveFromValue(LatencyQuery q, int key, Window w) {
    List<Item> out = new ArrayList<>();
    out.add(ldx(Size.DW, Reg.R1, Reg.R0, CAPTURED));
    out.add(stx(Size.DW, Reg.R10, w.captured(), Reg.R1));
    for (int off = 0; off < q.keySize(); off += 8) {
      out.add(ldx(Size.DW, Reg.R1, Reg.R0, KEY + off));
      out.add(stx(Size.DW, Reg.R10, key + off, Reg.R1));
    }
    return out;
  }

  /**
   * The exit's blocks, after the in-flight entry is deleted: per group tests the condition on
   * results (to "out" when false) and writes the exit's key parts at fp{@code key}; then the
   * function index into the key's first word. The cookie is at fp{@code cookie}.
   */
  static List<Item> exit(LatencyQuery q, int key, int cookie, Window w) {
    List<Item> out = new ArrayList<>(dispatch(q, "qx", List.of(ldx(Size.DW, Reg.R1, Reg.R10, cookie))));
    for (int g = 0; g < q.groups().size(); g++) {
      FunctionQuery f = q.groups().get(g);
      String p = "qx" + g + "_";
      out.add(new Label(p));
      f.exitFilter().ifPresent(c -> out.addAll(QueryAsm.test(c, w, p + "t", "out")));
      if (q.keyed()) {
        out.addAll(QueryAsm.keys(f.keys(), true, w, p + "k", Reg.R10, key));
      }
      out.add(ja("qx_done"));
    }
    out.add(new Label("qx_done"));
    if (q.keyed()) {
      out.add(stx(Size.W, Reg.R10, key, Reg.R7));
    }
    return out;
  }

  /** Jumps to the block of the cookie's group ({@code load} puts the cookie in R1); one group: falls through. */
  private static List<Item> dispatch(LatencyQuery q, String prefix, List<Item> load) {
    List<Item> out = new ArrayList<>();
    if (q.groups().size() == 1) {
      return out;
    }
    out.addAll(load);
    out.add(alu64(AluOp.RSH, Reg.R1, LatencyPlan.GROUP_SHIFT));
    for (int g = 0; g < q.groups().size(); g++) {
      out.add(jmp(JmpOp.JEQ, Reg.R1, g, prefix + g + "_"));
    }
    out.add(ja("out"));
    return out;
  }
}
