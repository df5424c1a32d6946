package dev.gotrace.core.plan;

import dev.gotrace.core.stack.FrameStart;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack a latency entry probe takes ({@code latency --stacks}): the frame-pointer walk of
 * {@code core.codegen.StackAsm} runs at each function's entry, and the stack's id rides in the
 * in-flight value to the exit, where {@code aggregate} adds the call to its (function, stack id)
 * row of the keyed map instead of (function, {@code --by} key).
 *
 * @param depth frames the walk collects at most (1 to StackAsm.MAX_DEPTH)
 * @param starts where each function's walk finds its caller, by function index: the entry's SP
 *     delta proven from pclntab ({@link FrameStart#at})
 * @param aggregate whether the exit counts calls per stack (--stacks); else the id is only carried
 */
public record LatencyStacks(int depth, List<FrameStart> starts, boolean aggregate) {
  public LatencyStacks {
    starts = List.copyOf(starts);
  }

  /** The walk's start at every function's entry probe of {@code plan}. */
  public static LatencyStacks of(GoBinary bin, LatencyPlan plan, int depth, boolean aggregate)
      throws GoBinaryException {
    List<FrameStart> starts = new ArrayList<>();
    for (LatencyPlan.Function f : plan.functions()) {
      long pc = f.entry().address();
      GoFunc body = bin.functionsNamed(f.name()).stream().filter(g -> g.contains(pc)).findFirst().orElse(null);
      starts.add(body == null ? new FrameStart.Unproven(f.name() + " has no function around 0x" + Long.toHexString(pc))
          : FrameStart.at(bin, body, pc));
    }
    return new LatencyStacks(depth, starts, aggregate);
  }
}
