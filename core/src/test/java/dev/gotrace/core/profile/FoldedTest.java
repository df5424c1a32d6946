package dev.gotrace.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldedTest {
  private static final String BASE = "runtime.main;main.main;main.round;";

  @Test
  void eachChainIsOneLineOutermostFirstWithInlinedFramesAsFramesMostCallsFirst() throws Exception {
    StringWriter out = new StringWriter();
    Folded.write(Chains.look(2), out);
    assertEquals(BASE + "main.chainC;main.wrap;main.leaf 14\n"
        + BASE + "main.chainB;main.mid;main.leaf 10\n"
        + BASE + "main.chainA;main.leaf 6\n", out.toString());
  }

  @Test
  void stacksThatReadAlikeAreOneLineTheirCallsAdded() throws Exception {
    // the same functions through two different return addresses (two calls of leaf in chainA)
    StackProfile twice = new StackProfile(List.of(
        new StackProfile.Sample("main.leaf", Chains.stack(Chains.f("main.leaf", 151, Chains.LEAF),
            Chains.f("main.chainA", 158, Chains.CHAIN_A + 0x22)), Log2Histogram.of(1, 2)),
        new StackProfile.Sample("main.leaf", Chains.stack(Chains.f("main.leaf", 151, Chains.LEAF),
            Chains.f("main.chainA", 159, Chains.CHAIN_A + 0x40)), Log2Histogram.of(3, 4, 5))));
    assertEquals(List.of(BASE + "main.chainA;main.leaf"), List.copyOf(Folded.lines(twice).keySet()));
    assertEquals(5L, Folded.lines(twice).values().iterator().next());
  }

  @Test
  void aStackCutEarlyStartsWithItsReason() throws Exception {
    GoStack cut = new GoStack(List.of(new Frame("main.leaf", "m.go", 1, false, 1),
        new Frame("main.chainA", "m.go", 2, false, 2)), GoStack.End.DEPTH, "");
    GoStack asm = new GoStack(List.of(new Frame("main.leaf", "m.go", 1, false, 1)), GoStack.End.NO_FRAME_POINTER,
        "runtime.asmcgocall");
    StringWriter out = new StringWriter();
    Folded.write(new StackProfile(List.of(new StackProfile.Sample("main.leaf", cut, Log2Histogram.of(1, 1)),
        new StackProfile.Sample("main.leaf", asm, Log2Histogram.of(1)))), out);
    assertEquals("[stack cut: depth limit];main.chainA;main.leaf 2\n"
        + "[stack cut: no frame pointer at runtime.asmcgocall];main.leaf 1\n", out.toString());
  }

  @Test
  void aCallWhoseStackWasNotRecordedIsStillCountedUnderItsFunction() throws Exception {
    GoStack full = new GoStack(List.of(), GoStack.End.MAP_FULL, "");
    assertEquals("[stack cut: stack map full];main.leaf 4\n", fold(new StackProfile(List.of(
        new StackProfile.Sample("main.leaf", full, Log2Histogram.of(1, 1, 1, 1))))));
  }

  private static String fold(StackProfile p) throws Exception {
    StringWriter out = new StringWriter();
    Folded.write(p, out);
    return out.toString();
  }
}
