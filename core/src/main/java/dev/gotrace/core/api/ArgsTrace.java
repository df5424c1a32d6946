package dev.gotrace.core.api;

import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.EntryQuery;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.spec.ArgsSpec;
import dev.gotrace.core.trace.Session;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.match.NamePattern;
import java.util.List;
import java.util.Optional;

/**
 * Each call with its arguments and each return with its results ({@code gotrace args}): yields
 * {@link dev.gotrace.core.decode.Event.Entry}, {@link dev.gotrace.core.decode.Event.Return} and
 * {@link dev.gotrace.core.decode.Event.Lost}. Names and types come from DWARF; without it
 * (stripped binaries) the raw words of the argument slots.
 */
public final class ArgsTrace extends Trace<ArgsTrace> {
  /** How much of each value is read. */
  record Reading(int strsize, boolean deref) {}

  static final Reading DEFAULTS = new Reading(ArgsPlanner.DEFAULT_STRSIZE, false);

  private final Reading reading;

  ArgsTrace(GoTrace go, Options options, Reading reading) {
    super(go, options);
    this.reading = reading;
  }

  @Override
  ArgsTrace with(Options o) {
    return new ArgsTrace(go, o, reading);
  }

  /**
   * Bytes copied from each string and {@code []byte} (default 64).
   *
   * @param bytes 1 to 4096
   * @return a new builder
   */
  public ArgsTrace strsize(int bytes) {
    if (bytes < 1 || bytes > ArgsPlanner.MAX_STRSIZE) {
      throw new IllegalArgumentException("strsize out of 1.." + ArgsPlanner.MAX_STRSIZE + ": " + bytes);
    }
    return new ArgsTrace(go, options, new Reading(bytes, reading.deref()));
  }

  /**
   * Also shows the pointee of pointers to small structs (up to 64 bytes).
   *
   * @return a new builder
   */
  public ArgsTrace deref() {
    return new ArgsTrace(go, options, new Reading(reading.strsize(), true));
  }

  @Override
  Planned plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    Optional<Question> question = Questions.where(options);
    ArgsPlan plan = new ArgsPlanner(new Planner(options.maxSites()), reading.strsize(), reading.deref())
        .plan(bin, patterns);
    Optional<EntryQuery> only = question.isEmpty() ? Optional.empty() : Optional.of(
        EntryQuery.compile(question.get(), EntryQuery.scopes(bin, plan), plan.base().sites().size()));
    return new Planned(ArgsSpec.of(plan, only, bin, Session.DEFAULT_RING_BYTES),
        new TracePlan(plan.functions().stream().map(ArgsPlan.FunctionArgs::function).distinct().toList(),
            plan.sites().size()));
  }
}
