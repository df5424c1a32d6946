package dev.gotrace.core.spec;

import dev.gotrace.core.codegen.FuncsProgram;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import java.util.List;
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
    return of(plan, Optional.empty(), bin, ringBytes);
  }

  /**
   * The spec of {@code plan} reporting only the calls {@code where} passes: each probe's cookie
   * carries its function's group ({@link FuncsProgram#cookie}).
   */
  public static TraceSpec of(ProbePlan plan, Optional<EntryQuery> where, GoBinary bin, int ringBytes) {
    return of(plan, where, dev.gotrace.core.plan.RecordLayout.of(List.of(), 1), bin, ringBytes);
  }

  /**
   * As {@link #of(ProbePlan, Optional, GoBinary, int)}, each record also carrying the {@code
   * --show} values {@code shows} lays out ({@link dev.gotrace.core.plan.ShowPlan#funcs}).
   */
  public static TraceSpec of(ProbePlan plan, Optional<EntryQuery> where, dev.gotrace.core.plan.RecordLayout shows,
      GoBinary bin, int ringBytes) {
    dev.gotrace.core.decode.TypeNames names = shows.values().isEmpty() ? null : dev.gotrace.core.decode.TypeNames.of(bin);
    CallDecoder.Symbolizer symbols = CallDecoder.Symbolizer.of(bin);
    List<AttachCheck.Probe> probes = plan.probes();
    if (where.isPresent()) {
      EntryQuery q = where.get();
      probes = probes.stream().map(p -> new AttachCheck.Probe(p.what(), p.address(), p.fileOffset(),
          FuncsProgram.cookie((int) p.cookie(), q.group((int) p.cookie())))).toList();
    }
    return TraceSpec.streaming(plan.binary(), "gotrace_funcs",
        FuncsProgram.generate(plan, where, shows, FsBase.forG(plan.g()), ringBytes), probes, FuncsProgram.EVENTS, FuncsProgram.DROPS, ringBytes, () -> {
          CallDecoder d = new CallDecoder(plan, symbols, KernelResources.wallClockOffsetNs(), shows, names);
          return b -> Optional.of(d.decode(b));
        });
  }
}
