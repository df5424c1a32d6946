package dev.gotrace.core.api;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.spec.LatencySpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * The latency of every completed call of the matching functions ({@code gotrace latency
 * --calls}): an entry probe after the stack check and one on each exit instruction, matched in
 * the kernel by goroutine and frame (never a uretprobe). Yields {@link
 * dev.gotrace.core.decode.Event.Completed} and {@link dev.gotrace.core.decode.Event.Lost}.
 */
public final class LatencyTrace extends Trace<LatencyTrace> {
  static final long EVERY_CALL = 0;

  private final long minNs;

  LatencyTrace(GoTrace go, Options options, long minNs) {
    super(go, options);
    this.minNs = minNs;
  }

  @Override
  LatencyTrace with(Options o) {
    return new LatencyTrace(go, o, minNs);
  }

  /**
   * Streams only the calls at least this slow (decided in the kernel; the faster ones cost no
   * event).
   *
   * @param min zero or more
   * @return a new builder
   */
  public LatencyTrace atLeast(Duration min) {
    if (min.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + min);
    }
    return new LatencyTrace(go, options, min.toNanos());
  }

  @Override
  Planned plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    LatencyPlan plan = new LatencyPlanner(options.maxSites()).plan(bin, patterns, Questions.where(options), 1);
    return new Planned(LatencySpec.of(plan, LatencySpec.DEFAULT_MAX_INFLIGHT, OptionalLong.of(minNs), false),
        new TracePlan(plan.functions().stream().map(LatencyPlan.Function::name).toList(), plan.probeCount()));
  }
}
