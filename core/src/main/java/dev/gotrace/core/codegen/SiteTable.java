package dev.gotrace.core.codegen;

import static dev.gotrace.probes.asm.Insn.ja;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldImm64;

import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Label;
import dev.gotrace.probes.asm.Reg;
import java.util.ArrayList;
import java.util.List;

/**
 * A constant per probe site, looked up in a program that serves many sites by the site index:
 * a balanced tree of compares over the runs of equal values (so a table whose sites mostly share
 * one value costs a few compares), log2(runs) deep, each leaf loading its value. An index past the
 * last site gets the last run's value.
 */
final class SiteTable {
  private SiteTable() {}

  /**
   * Code that sets {@code dst} to {@code values.get(index)}, {@code index} (a register holding the
   * site index) unchanged; it falls through to the code after it. Labels start with {@code prefix}.
   */
  static List<Item> lookup(List<Long> values, Reg index, Reg dst, String prefix) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a site table needs a site");
    }
    List<int[]> runs = new ArrayList<>(); // {first index, last index}
    for (int i = 0; i < values.size(); i++) {
      if (i > 0 && values.get(i).equals(values.get(i - 1))) {
        runs.get(runs.size() - 1)[1] = i;
      } else {
        runs.add(new int[] {i, i});
      }
    }
    List<Item> out = new ArrayList<>();
    String done = prefix + "_done";
    search(out, values, runs, 0, runs.size() - 1, index, dst, prefix, done, true);
    out.add(new Label(done));
    return out;
  }

  private static void search(List<Item> out, List<Long> values, List<int[]> runs, int lo, int hi, Reg index, Reg dst,
      String prefix, String done, boolean last) {
    if (lo == hi) {
      out.add(ldImm64(dst, values.get(runs.get(lo)[0])));
      if (!last) { // the last leaf falls through to done
        out.add(ja(done));
      }
      return;
    }
    int mid = (lo + hi + 1) >>> 1;
    String upper = prefix + "_ge" + runs.get(mid)[0];
    out.add(jmp(JmpOp.JGE, index, runs.get(mid)[0], upper));
    search(out, values, runs, lo, mid - 1, index, dst, prefix, done, false);
    out.add(new Label(upper));
    search(out, values, runs, mid, hi, index, dst, prefix, done, last);
  }
}
