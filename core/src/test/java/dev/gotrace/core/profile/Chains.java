package dev.gotrace.core.profile;

import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-made stacks of testdata/go/look's three chains to main.leaf, as the symboliser gives them
 * (innermost first; main.wrap inlined into main.chainC shares chainC's return address; a
 * complete stack ends at runtime.main, runtime.goexit not shown), with made-up addresses and lines.
 */
final class Chains {
  private Chains() {}

  static final long LEAF = 0x4a1000, CHAIN_A = 0x4a1100, CHAIN_B = 0x4a1200, MID = 0x4a1300, CHAIN_C = 0x4a1400,
      ROUND = 0x4a0800, MAIN = 0x4a0400, RUNTIME_MAIN = 0x438000, GOEXIT = 0x462000;

  static Frame f(String name, int line, long pc) {
    return new Frame(name, "/src/look/main.go", line, false, pc);
  }

  static GoStack stack(Frame... inner) {
    List<Frame> frames = new ArrayList<>(List.of(inner));
    frames.add(f("main.round", 90, ROUND + 0x40));
    frames.add(f("main.main", 60, MAIN + 0x20));
    frames.add(new Frame("runtime.main", "/go/src/runtime/proc.go", 283, false, RUNTIME_MAIN + 0x10));
    return new GoStack(frames, GoStack.End.COMPLETE, "");
  }

  static long[] times(int n, long each) {
    long[] out = new long[n];
    Arrays.fill(out, each);
    return out;
  }

  /** 3 calls through chainA (1000 ns each), 5 through chainB and mid (2000 ns), 7 through chainC and wrap (3000 ns), per round. */
  static StackProfile look(int rounds) {
    Frame leaf = f("main.leaf", 151, LEAF);
    return new StackProfile(List.of(
        new StackProfile.Sample("main.leaf", stack(leaf, f("main.chainA", 158, CHAIN_A + 0x22)),
            Log2Histogram.of(times(3 * rounds, 1000))),
        new StackProfile.Sample("main.leaf", stack(leaf, f("main.mid", 170, MID + 0x1c),
            f("main.chainB", 164, CHAIN_B + 0x22)), Log2Histogram.of(times(5 * rounds, 2000))),
        new StackProfile.Sample("main.leaf", stack(leaf,
            new Frame("main.wrap", "/src/look/main.go", 175, true, CHAIN_C + 0x2a),
            f("main.chainC", 181, CHAIN_C + 0x2a)), Log2Histogram.of(times(7 * rounds, 3000)))));
  }
}
