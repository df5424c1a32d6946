package dev.gotrace.core.spec;

import dev.gotrace.core.codegen.FuncsProgram;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import java.util.Optional;

/** {@code gotrace funcs}: entry probes streaming {@link Event.Call}s. */
public final class FuncsSpec {
  private FuncsSpec() {}

  /**
   * The spec of {@code plan}; {@code bin}, the binary it was made from, names the callers.
   *
   * @param ringBytes the ring buffer's size (a power of two, at least a page)
   */
  public static TraceSpec of(ProbePlan plan, GoBinary bin, int ringBytes) {
    CallDecoder.Symbolizer symbols = CallDecoder.Symbolizer.of(bin);
    return TraceSpec.streaming(plan.binary(), "gotrace_funcs", FuncsProgram.generate(plan, FsBase.forG(plan.g()), ringBytes),
        plan.probes(), FuncsProgram.EVENTS, FuncsProgram.DROPS, ringBytes, () -> {
          CallDecoder d = new CallDecoder(plan, symbols, KernelResources.wallClockOffsetNs());
          return b -> Optional.of(d.decode(b));
        });
  }
}
