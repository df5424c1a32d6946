package dev.gotrace.core.stack;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code --stack[=N]} asks of a program: the walk's depth and, per probe site (by the index
 * its cookie carries), where the walk starts ({@link FrameStart}, proven at plan time).
 *
 * @param depth frames kept, 1 to {@code StackAsm.MAX_DEPTH}
 * @param starts one per site index
 */
public record Unwinding(int depth, List<FrameStart> starts) {
  public Unwinding {
    starts = List.copyOf(starts);
  }

  /** The starts at {@code sites} (link-time probe addresses, by site index) of {@code bin}. */
  public static Unwinding at(GoBinary bin, int depth, List<Long> sites) throws GoBinaryException {
    List<FrameStart> starts = new ArrayList<>(sites.size());
    for (long pc : sites) {
      Optional<GoFunc> f = bin.funcForPc(pc);
      starts.add(f.isEmpty() ? new FrameStart.Unproven(String.format("0x%x is in no function", pc))
          : FrameStart.at(bin, f.get(), pc));
    }
    return new Unwinding(depth, starts);
  }

  /** Sites whose start could not be proven (their stacks are the probed frame alone). */
  public long unproven() {
    return starts.stream().filter(s -> s instanceof FrameStart.Unproven).count();
  }
}
