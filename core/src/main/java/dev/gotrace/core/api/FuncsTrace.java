package dev.gotrace.core.api;

import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.trace.Session;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import java.util.List;
import java.util.Optional;

/**
 * Every call of the matching functions ({@code gotrace funcs}): yields {@link
 * dev.gotrace.core.decode.Event.Call} (time, pid, goroutine, function, caller) and {@link
 * dev.gotrace.core.decode.Event.Lost}.
 */
public final class FuncsTrace extends Trace<FuncsTrace> {
  FuncsTrace(GoTrace go, Options options) {
    super(go, options);
  }

  @Override
  FuncsTrace with(Options o) {
    return new FuncsTrace(go, o);
  }

  @Override
  Planned plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    Optional<Question> question = Questions.where(options);
    ProbePlan plan = new Planner(options.maxSites()).planWithLines(bin, patterns);
    Optional<EntryQuery> only = question.isEmpty() ? Optional.empty()
        : Optional.of(EntryQuery.compile(question.get(), EntryQuery.scopes(bin, plan)));
    return new Planned(FuncsSpec.of(plan, only, bin, Session.DEFAULT_RING_BYTES),
        new TracePlan(plan.sites().stream().map(ProbeSite::function).distinct().toList(), plan.sites().size()));
  }
}
