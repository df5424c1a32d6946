package dev.gotrace.core.spec;

import dev.gotrace.core.codegen.ArgsProgram;
import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.stack.StackSymbolizer;
import dev.gotrace.core.stack.StackTable;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.core.decode.ArgsDecoder;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import java.util.ArrayList;
import java.util.List;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import java.util.Optional;

/** {@code gotrace args}: entry and exit sites in one program, streaming entries and returns with values. */
public final class ArgsSpec {
  private ArgsSpec() {}

  /** The spec of {@code plan}; {@code bin}, the binary it was made from, names the values' types. */
  public static TraceSpec of(ArgsPlan plan, GoBinary bin, int ringBytes) {
    return of(plan, Optional.empty(), bin, ringBytes);
  }

  /**
   * The spec of {@code plan} showing only the calls {@code where} passes, and their returns; with
   * a condition the program also uses map {@value ArgsProgram#PASSED}.
   */
  public static TraceSpec of(ArgsPlan plan, Optional<EntryQuery> where, GoBinary bin, int ringBytes) {
    return of(plan, where, Optional.empty(), bin, ringBytes);
  }

  /**
   * With {@code --stack}: entries and inlined copies walk the stack into map {@link StackAsm#STACKS}
   * ({@code stack}'s starts by the plan's site index), read by the decoder once per new stack.
   */
  public static TraceSpec of(ArgsPlan plan, Optional<EntryQuery> where, Optional<Unwinding> stack, GoBinary bin,
      int ringBytes) {
    TypeNames names = TypeNames.of(bin);
    Program program = ArgsProgram.generate(plan, where, stack, FsBase.forG(plan.base().g()), ringBytes);
    List<MapSpec> maps = new ArrayList<>(List.of(MapSpec.ringBuf(ArgsProgram.EVENTS, ringBytes)));
    List<String> uses = new ArrayList<>(List.of(ArgsProgram.EVENTS, ArgsProgram.DROPS));
    if (where.isPresent() && !where.get().groups().isEmpty()) {
      maps.add(MapSpec.lruHash(ArgsProgram.PASSED, 16, 8, ArgsProgram.PASSED_ENTRIES));
      uses.add(ArgsProgram.PASSED);
    }
    if (stack.isPresent()) {
      maps.addAll(StackAsm.maps(stack.get().depth(), StackAsm.DEFAULT_CAPACITY));
      uses.addAll(List.of(StackAsm.STACKS, StackAsm.STACKBUF));
    }
    return new TraceSpec(plan.base().binary(), maps,
        List.of(new TraceSpec.Probes("gotrace_args", program, uses, plan.probes())),
        Optional.of(new TraceSpec.Ring(ArgsProgram.EVENTS, ArgsProgram.DROPS)), () -> {
          if (stack.isEmpty()) {
            ArgsDecoder d = new ArgsDecoder(plan, names, KernelResources.wallClockOffsetNs());
            return b -> Optional.of(d.decode(b));
          }
          StackTable table = new StackTable(new StackSymbolizer(bin));
          ArgsDecoder d = new ArgsDecoder(plan, names, KernelResources.wallClockOffsetNs(), Optional.of(table));
          return new StackDecoder(table, b -> Optional.of(d.decode(b)));
        }, true);
  }
}
