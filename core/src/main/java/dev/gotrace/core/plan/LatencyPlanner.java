package dev.gotrace.core.plan;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.rtype.GLayoutAnswer;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.goelf.sites.FunctionSites;
import java.util.ArrayList;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.query.Question;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Plans latency probes: the entry sites and g access come from {@link Planner} (same matching,
 * same validation as {@code funcs}); this adds every exit instruction of each function, each
 * checked to start a decoded instruction and to map into the file.
 */
public final class LatencyPlanner {
  private final Planner entries;

  public LatencyPlanner(int maxSites) {
    this.entries = new Planner(maxSites);
  }

  public LatencyPlan plan(GoBinary bin, List<NamePattern> patterns) throws GoBinaryException {
    return plan(bin, patterns, Optional.empty(), 1);
  }

  /**
   * As {@link #plan(GoBinary, List)}, with {@code question} ({@code --where}, {@code --by})
   * resolved and compiled for every traced function, the keyed map holding {@code maxKeys} keys.
   *
   * @throws QueryException when the question does not fit a function (an unknown name, a type
   *     mismatch, a result asked of a function that leaves through a tail jump)
   */
  public LatencyPlan plan(GoBinary bin, List<NamePattern> patterns, Optional<Question> question, int maxKeys)
      throws GoBinaryException {
    Planner.Analysed analysed = entries.planWithSites(bin, patterns);
    ProbePlan base = analysed.plan();
    List<Note> notes = new ArrayList<>(base.notes());
    List<LatencyPlan.Function> functions = new ArrayList<>();
    for (int i = 0; i < base.sites().size(); i++) {
      ProbeSite s = base.sites().get(i);
      // the entry planner's decode of this function: not looked up by pc, not decoded again
      FunctionSites sites = analysed.sites().get(i);
      Note skip = null;
      List<LatencyPlan.Exit> exits = new ArrayList<>();
      for (ExitSite e : sites.exits()) {
        if (e.kind() == ExitSite.Kind.CONDITIONAL_TAILCALL) {
          skip = new Note.ConditionalExit(s.function(), e.address());
          break;
        }
        OptionalLong off = bin.fileOffset(e.address());
        if (!sites.isInstructionBoundary(e.address()) || off.isEmpty()) {
          skip = new Note.BadExit(s.function(), e.address());
          break;
        }
        exits.add(new LatencyPlan.Exit(new LatencyPlan.Site(e.address(), off.getAsLong()), e.kind()));
      }
      if (skip == null && exits.isEmpty()) {
        notes.add(new Note.NeverReturns(s.function()));
      }
      if (skip != null) {
        notes.add(skip);
        continue;
      }
      functions.add(new LatencyPlan.Function(functions.size(), s.function(),
          new LatencyPlan.Site(s.probeAddress(), s.fileOffset()), exits));
    }
    entries.requireWithinLimit(functions.size() + functions.stream().mapToInt(f -> f.exits().size()).sum(),
        functions.size());
    if (functions.isEmpty()) {
      throw new PlanException.NoMatch(bin.path().toString(),
          String.join(" ", patterns.stream().map(NamePattern::text).toList()), List.of());
    }
    GLayoutAnswer answer = bin.gLayout();
    if (answer instanceof GLayoutAnswer.Refused r) {
      throw new PlanException.NoGoroutineLayout(bin.path().toString(), bin.goVersion().toString(), r.reason());
    }
    GLayout layout = answer.known().orElseThrow();
    Optional<LatencyQuery> query = Optional.empty();
    if (question.isPresent() && !question.get().isEmpty()) {
      query = Optional.of(LatencyQueries.compile(bin, question.get(), functions, maxKeys));
      if (query.get().entryFiltered()) {
        notes.add(new Note.EntryFilteredExits(question.get().whereText()));
      }
    }
    return new LatencyPlan(bin.path(), base.g(), layout.stackHi(), base.goidOffset(), functions, notes, query);
  }
}
