package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import org.junit.jupiter.api.Test;

/** goroutines --where: the functions a condition on fn selects, as the PC ranges the kernel checks. */
class LaunchFilterTest {
  private static LaunchFilter filter(GoBinary bin, String text) {
    return LaunchFilter.of(ExprParser.parse(text), text, bin);
  }

  @Test
  void aWorkerFilterPassesTheWorkerAndTheGoWrapperThatCallsIt() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "workload").path())) {
      LaunchFilter f = filter(bin, "fn == \"main.worker\"");
      GoFunc worker = bin.function("main.worker").orElseThrow();
      GoFunc wrapper = bin.function("main.spawn.gowrap1").orElseThrow();
      assertEquals(2, f.functions());
      assertTrue(f.passes(worker.entry()));
      assertTrue(f.passes(wrapper.entry()), "the go statement's wrapper launches main.worker");
      assertFalse(f.passes(bin.function("main.spawn").orElseThrow().entry()));
      assertFalse(f.passes(bin.function("runtime.main").orElseThrow().entry()));
      assertFalse(f.passes(0));
    }
  }

  @Test
  void everyFunctionPassesExactlyWhenItsNameDoes() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.15", "amd64", "default", "workload").path())) {
      for (String text : new String[] {"hasPrefix(fn, \"main.\")", "!hasPrefix(fn, \"runtime.\") && len(fn) < 20",
          "fn >= \"main.w\" || hasSuffix(fn, \".func1\")"}) {
        LaunchFilter f = filter(bin, text);
        int passing = 0;
        for (GoFunc g : bin.functions()) {
          boolean expected = LaunchFilter.truth(ExprParser.parse(text), g.name()); // Go 1.15: no go wrappers
          assertEquals(expected, f.passes(g.entry()), text + " on " + g.name());
          passing += expected ? 1 : 0;
        }
        assertEquals(passing, f.functions(), text);
        for (int i = 1; i < f.ranges().size(); i++) {
          assertTrue(f.ranges().get(i - 1).end() < f.ranges().get(i).start(), "sorted and apart: " + f.ranges());
        }
      }
      LaunchFilter main = filter(bin, "hasPrefix(fn, \"main.\")");
      assertTrue(main.ranges().size() <= 3, "a package's functions are contiguous: " + main.ranges());
    }
  }

  @Test
  void namesOtherThanFnAndTypeMismatchesAreRefusedWithTheirColumn() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "workload").path())) {
      String[][] cases = {
        {"arg0 == 1", "1", "goroutines --where knows only fn"},
        {"fn == \"x\" && fn == 3", "20", "cannot compare a string with an int"},
        {"fn.Name == \"x\"", "1", "fn is a string; it has no field Name"},
        {"fn != nil", "7", "it is never nil"},
        {"len(fn)", "1", "the condition is an int, not a bool"},
        {"fn == \"no.such\"", "1", "no function of workload passes it"},
      };
      for (String[] c : cases) {
        ExprException e = assertThrows(ExprException.class, () -> filter(bin, c[0]), c[0]);
        assertEquals(Integer.parseInt(c[1]), e.column(), c[0] + ": " + e.getMessage());
        assertTrue(e.problem().contains(c[2]), c[0] + ": " + e.problem());
      }
    }
  }
}
