package dev.gotrace.core.spec;

import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.RecordDecoder;
import dev.gotrace.core.plan.GoWrappers;
import dev.gotrace.core.decode.LaunchDecoder;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.codegen.LaunchProgram;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code gotrace goroutines}: the entry and exits of newproc1, joined into {@link Event.Launch}es;
 * an entry whose exit never came counts as lost.
 */
public final class GoroutinesSpec {
  private GoroutinesSpec() {}

  /** The spec of {@code plan}; {@code bin} names functions and finds go-wrapper targets. */
  public static TraceSpec of(LaunchPlan plan, GoBinary bin, int ringBytes) {
    CallDecoder.Symbolizer symbols = CallDecoder.Symbolizer.of(bin);
    return TraceSpec.streaming(plan.binary(), "gotrace_gorout", LaunchProgram.generate(plan, ringBytes), plan.probes(),
        LaunchProgram.EVENTS, LaunchProgram.DROPS, ringBytes, () -> {
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
        });
  }
}
