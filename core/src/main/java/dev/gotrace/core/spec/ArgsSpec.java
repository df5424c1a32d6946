package dev.gotrace.core.spec;

import dev.gotrace.core.codegen.ArgsProgram;
import dev.gotrace.core.decode.ArgsDecoder;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import java.util.Optional;

/** {@code gotrace args}: entry and exit sites in one program, streaming entries and returns with values. */
public final class ArgsSpec {
  private ArgsSpec() {}

  /** The spec of {@code plan}; {@code bin}, the binary it was made from, names the values' types. */
  public static TraceSpec of(ArgsPlan plan, GoBinary bin, int ringBytes) {
    TypeNames names = TypeNames.of(bin);
    return TraceSpec.streaming(plan.base().binary(), "gotrace_args",
        ArgsProgram.generate(plan, FsBase.forG(plan.base().g()), ringBytes), plan.probes(), ArgsProgram.EVENTS,
        ArgsProgram.DROPS, ringBytes, () -> {
          ArgsDecoder d = new ArgsDecoder(plan, names, KernelResources.wallClockOffsetNs());
          return b -> Optional.of(d.decode(b));
        });
  }
}
