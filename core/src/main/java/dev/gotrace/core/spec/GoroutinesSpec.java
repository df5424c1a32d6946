package dev.gotrace.core.spec;

import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.RecordDecoder;
import dev.gotrace.core.plan.GoWrappers;
import dev.gotrace.core.decode.LaunchDecoder;
import dev.gotrace.core.plan.LaunchFilter;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.codegen.LaunchProgram;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code gotrace goroutines}: the entry and exits of newproc1, joined into {@link Event.Launch}es;
 * an entry whose exit never came counts as lost.
 */
public final class GoroutinesSpec {
  private GoroutinesSpec() {}

  /** The spec of {@code plan}; {@code bin} names functions and finds go-wrapper targets. */
  public static TraceSpec of(LaunchPlan plan, GoBinary bin, int ringBytes) {
    return of(plan, Optional.empty(), bin, ringBytes);
  }

  /**
   * The spec of {@code plan} reporting only the launches {@code filter} passes ({@code --where});
   * with a filter, the program also uses map {@value LaunchProgram#REJECTED}.
   */
  public static TraceSpec of(LaunchPlan plan, Optional<LaunchFilter> filter, GoBinary bin, int ringBytes) {
    CallDecoder.Symbolizer symbols = CallDecoder.Symbolizer.of(bin);
    Program program = LaunchProgram.generate(plan, filter, ringBytes);
    List<MapSpec> maps = new ArrayList<>(List.of(MapSpec.ringBuf(LaunchProgram.EVENTS, ringBytes)));
    List<String> uses = new ArrayList<>(List.of(LaunchProgram.EVENTS, LaunchProgram.DROPS));
    if (filter.isPresent()) {
      maps.add(MapSpec.lruHash(LaunchProgram.REJECTED, 8, 8, LaunchProgram.REJECTED_ENTRIES));
      uses.add(LaunchProgram.REJECTED);
    }
    return new TraceSpec(plan.binary(), maps, List.of(new TraceSpec.Probes("gotrace_gorout", program, uses, plan.probes())),
        Optional.of(new TraceSpec.Ring(LaunchProgram.EVENTS, LaunchProgram.DROPS)), () -> {
          LaunchDecoder d = new LaunchDecoder(plan, symbols, pc -> GoWrappers.target(bin, pc),
              KernelResources.wallClockOffsetNs());
          return new RecordDecoder() {
            @Override
            public Optional<Event> decode(ByteBuffer record) {
              return d.decode(record).map(l -> l);
            }

            @Override
            public long unmatched() {
              return d.unmatched();
            }
          };
        }, true);
  }
}
