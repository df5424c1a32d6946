package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.profile.StackProfile;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackRendererTest {
  private static Frame f(String fn, int line, boolean inlined) {
    return new Frame(fn, "/src/look/main.go", line, inlined, 0x401000 + line);
  }

  private static final GoStack VIA_C = new GoStack(List.of(f("main.leaf", 150, false), f("main.wrap", 175, true),
      f("main.chainC", 181, false), f("main.round", 87, false)), GoStack.End.COMPLETE, "");
  private static final GoStack VIA_A = new GoStack(List.of(f("main.leaf", 150, false), f("main.chainA", 158, false)),
      GoStack.End.DEPTH, "");

  private static String render(StackRenderer.Factory how, StackProfile p) {
    StringWriter s = new StringWriter();
    how.of(new PrintWriter(s)).render(p);
    return s.toString();
  }

  private static final StackProfile LOOK = new StackProfile(List.of(
      new StackProfile.Sample("main.leaf", VIA_A, Log2Histogram.of(1000, 1000, 3000)),
      new StackProfile.Sample("main.leaf", VIA_C, Log2Histogram.of(2000, 2000, 2000, 2000, 2000, 2000, 2000)),
      new StackProfile.Sample("main.mid", new GoStack(List.of(), GoStack.End.MAP_FULL, ""), Log2Histogram.of(500))));

  @Test
  void eachFunctionMostCallsFirstItsStacksMostCallsFirstWithFramesAndACutStacksReason() {
    assertEquals("""

        main.leaf: 10 calls from 2 stacks
          7 calls (70.0%)  p50 2.00us  p99 2.00us  max 2.00us
              main.leaf (main.go:150)
              main.wrap (main.go:175, inlined)
              main.chainC (main.go:181)
              main.round (main.go:87)
          3 calls (30.0%)  p50 1.02us  p99 3.00us  max 3.00us
              main.leaf (main.go:150)
              main.chainA (main.go:158)
              [stack cut: depth limit]

        main.mid: 1 call from 1 stack
          1 call (100.0%)  p50 500ns  p99 500ns  max 500ns
              [stack cut: stack map full]
        """, render(StackRenderer::text, LOOK));
  }

  @Test
  void pastTenStacksTheRestAreCountedInOneLine() {
    List<StackProfile.Sample> many = new ArrayList<>();
    for (int i = 0; i < StackRenderer.SHOWN + 2; i++) {
      many.add(new StackProfile.Sample("main.leaf", new GoStack(List.of(f("main.leaf", 150, false),
          f("main.caller" + i, 10 + i, false)), GoStack.End.COMPLETE, ""), Log2Histogram.of(new long[100 - i])));
    }
    String out = render(StackRenderer::text, new StackProfile(many));
    assertEquals(StackRenderer.SHOWN, out.lines().filter(l -> l.matches("  \\d+ calls .*")).count(), out);
    assertEquals("  ... 2 more stacks, 179 calls (--folded, --flame and --pprof hold every stack)",
        out.lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void jsonIsOneObjectPerFunction() {
    assertEquals("{\"type\":\"latency_stacks\",\"function\":\"main.mid\",\"count\":1,\"stacks\":[{\"count\":1,"
        + "\"sum_ns\":500,\"mean_ns\":500,\"p50_ns\":500,\"p90_ns\":500,\"p99_ns\":500,\"max_ns\":500,"
        + "\"end\":\"map_full\",\"frames\":[]}]}",
        render(StackRenderer::json, LOOK).lines().toList().get(1));
    String leaf = render(StackRenderer::json, LOOK).lines().toList().get(0);
    assertEquals(true, leaf.contains("\"frames\":[{\"function\":\"main.leaf\",\"file\":\"/src/look/main.go\","
        + "\"line\":150,\"inlined\":false},{\"function\":\"main.wrap\",\"file\":\"/src/look/main.go\",\"line\":175,"
        + "\"inlined\":true}"), leaf);
    assertEquals(true, leaf.contains("\"end\":\"depth\""), leaf);
  }
}
