package dev.gotrace.core.api;

import dev.gotrace.core.expr.ExprParser;
import dev.gotrace.core.plan.LaunchFilter;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchPlanner;
import dev.gotrace.core.spec.GoroutinesSpec;
import dev.gotrace.core.trace.Session;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import java.util.List;
import java.util.Optional;

/**
 * Every goroutine launch ({@code gotrace goroutines}, probes on {@code runtime.newproc1}): yields
 * {@link dev.gotrace.core.decode.Event.Launch} (the creating goroutine, the function the new one
 * runs, where the go statement is, the new goroutine's id) and {@link
 * dev.gotrace.core.decode.Event.Lost}. {@link #where} is on {@code fn}, the launched function's
 * name: {@code hasPrefix(fn, "main.")}.
 */
public final class GoroutinesTrace extends Trace<GoroutinesTrace> {
  GoroutinesTrace(GoTrace go, Options options) {
    super(go, options);
  }

  @Override
  GoroutinesTrace with(Options o) {
    return new GoroutinesTrace(go, o);
  }

  @Override
  Planned plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    Optional<LaunchFilter> only = options.where().map(w -> LaunchFilter.of(ExprParser.parse(w), w, bin));
    LaunchPlan plan = new LaunchPlanner().plan(bin);
    return new Planned(GoroutinesSpec.of(plan, only, bin, Session.DEFAULT_RING_BYTES),
        new TracePlan(List.of(LaunchPlanner.NEWPROC1), plan.probes().size()));
  }
}
