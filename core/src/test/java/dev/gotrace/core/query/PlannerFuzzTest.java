package dev.gotrace.core.query;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Untrusted text: whatever a user types, planning ends in a query or a one-line {@link
 * QueryException} whose column lies in the text, never another exception; and what plans, emits.
 */
class PlannerFuzzTest {
  static final List<String> TOKENS = List.of("a", "b", "s", "p", "q", "e", "xs", "f", "g", "r0", "r1", "r2", "r3",
      "arg0", "arg1", "arg99", "ret0", "ret5", "arg1:int", "arg4:string", "ret0:bool", ".X", ".Next", ".Name", ".F",
      ".Nope", ".Depth", ".Inner", ".Y", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "(", ")", "len(",
      "hasPrefix(", "hasSuffix(", ",", "nil", "true", "false", "0", "-1", "1.5", "1e400", "18446744073709551616",
      "\"x\"", "\"\"", "\"" + "z".repeat(200) + "\"", "`r`", " ", "=", ":", "arg1:float64", "p.Next.Next.Next.Next"
      + ".Next.Next.Next.Next.Next.X");

  @Test
  void anyTextPlansOrIsRefusedWithAColumn() {
    Random rnd = new Random(18);
    int planned = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + rnd.nextInt(9);
      for (int k = 0; k < n; k++) {
        b.append(TOKENS.get(rnd.nextInt(TOKENS.size())));
        if (rnd.nextBoolean()) {
          b.append(' ');
        }
      }
      String text = b.toString();
      boolean asBy = rnd.nextInt(3) == 0;
      try {
        Question q = asBy ? Question.parse(Optional.empty(), Optional.of(text), 1 + rnd.nextInt(128))
            : Question.parse(Optional.of(text), Optional.empty(), 64);
        FunctionQuery fq = QueryPlanner.plan(q, Synthetic.SCOPE, rnd.nextBoolean());
        Window w = new Window(-8 - QueryAsm.windowBytes(fq), QueryAsm.windowBytes(fq));
        QueryAsm.test(fq.entryFilter(), w, "a", "r");
        QueryAsm.test(fq.exitFilter(), w, "b", "r");
        QueryAsm.captures(fq.captures(), w, "c", -8);
        QueryAsm.keys(fq.keys(), false, w, "d", dev.gotrace.probes.asm.Reg.R10, -400);
        planned++;
      } catch (QueryException e) {
        assertTrue(e.column() >= 1 && e.column() <= text.length() + 1, e.getMessage());
        assertTrue(!e.getMessage().contains("\n") || text.contains("\n"), e.getMessage());
      } catch (RuntimeException e) {
        fail("'" + text + "' threw " + e, e);
      }
    }
    assertTrue(planned > 200, planned + " planned");
  }
}
