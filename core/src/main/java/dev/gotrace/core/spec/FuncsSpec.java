package dev.gotrace.core.spec;

import dev.gotrace.core.codegen.FuncsProgram;
import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.core.stack.StackSymbolizer;
import dev.gotrace.core.stack.StackTable;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import java.util.ArrayList;
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
    return of(plan, where, RecordLayout.of(List.of(), 1), Optional.empty(), bin, ringBytes);
  }

  /** With {@code --show}: {@link #of(ProbePlan, Optional, dev.gotrace.core.plan.RecordLayout, Optional, GoBinary, int)} without a stack. */
  public static TraceSpec of(ProbePlan plan, Optional<EntryQuery> where, RecordLayout shows,
      GoBinary bin, int ringBytes) {
    return of(plan, where, shows, Optional.empty(), bin, ringBytes);
  }

  /** With {@code --stack}: {@link #of(ProbePlan, Optional, dev.gotrace.core.plan.RecordLayout, Optional, GoBinary, int)} without {@code --show}. */
  public static TraceSpec of(ProbePlan plan, Optional<EntryQuery> where, Optional<Unwinding> stack, GoBinary bin,
      int ringBytes) {
    return of(plan, where, RecordLayout.of(List.of(), 1), stack, bin, ringBytes);
  }

  /**
   * Each record also carrying the {@code --show} values {@code shows} lays out ({@link
   * dev.gotrace.core.plan.ShowPlan#funcs}); with {@code --stack}, each call's stack walked in the
   * kernel ({@code stack}'s depth and per-site starts, by the plan's site index) into map {@link
   * StackAsm#STACKS}, read by the decoder once per new stack.
   */
  public static TraceSpec of(ProbePlan plan, Optional<EntryQuery> where, RecordLayout shows,
      Optional<Unwinding> stack, GoBinary bin, int ringBytes) {
    TypeNames names = shows.values().isEmpty() ? null : TypeNames.of(bin);
    CallDecoder.Symbolizer symbols = CallDecoder.Symbolizer.of(bin);
    List<AttachCheck.Probe> probes = plan.probes();
    if (where.isPresent()) {
      EntryQuery q = where.get();
      probes = probes.stream().map(p -> new AttachCheck.Probe(p.what(), p.address(), p.fileOffset(),
          FuncsProgram.cookie((int) p.cookie(), q.group((int) p.cookie())))).toList();
    }
    Program program = FuncsProgram.generate(plan, where, shows, stack, FsBase.forG(plan.g()), ringBytes);
    if (stack.isEmpty()) {
      return TraceSpec.streaming(plan.binary(), "gotrace_funcs", program, probes, FuncsProgram.EVENTS,
          FuncsProgram.DROPS, ringBytes, () -> {
            CallDecoder d = new CallDecoder(plan, symbols, KernelResources.wallClockOffsetNs(), shows, names);
            return b -> Optional.of(d.decode(b));
          });
    }
    List<MapSpec> maps = new ArrayList<>(List.of(MapSpec.ringBuf(FuncsProgram.EVENTS, ringBytes)));
    maps.addAll(StackAsm.maps(stack.get().depth(), StackAsm.DEFAULT_CAPACITY));
    return new TraceSpec(plan.binary(), maps, List.of(new TraceSpec.Probes("gotrace_funcs", program,
        List.of(FuncsProgram.EVENTS, FuncsProgram.DROPS, StackAsm.STACKS, StackAsm.STACKBUF), probes)),
        Optional.of(new TraceSpec.Ring(FuncsProgram.EVENTS, FuncsProgram.DROPS)), () -> {
          StackTable table = new StackTable(new StackSymbolizer(bin));
          CallDecoder d = new CallDecoder(plan, symbols, KernelResources.wallClockOffsetNs(), shows, names,
              Optional.of(table));
          return new StackDecoder(table, b -> Optional.of(d.decode(b)));
        }, true);
  }
}
