package dev.gotrace.core.plan;

import dev.gotrace.core.query.FunctionQuery;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.query.QueryPlanner;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.query.Scopes;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.ExitSite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compiles a {@link Question} for each function of a latency plan, in groups of equal compiled queries. */
final class LatencyQueries {
  private LatencyQueries() {}

  static LatencyQuery compile(GoBinary bin, Question question, List<LatencyPlan.Function> functions, int maxKeys)
      throws GoBinaryException {
    Map<FunctionQuery, Integer> groups = new LinkedHashMap<>();
    List<Integer> groupOf = new ArrayList<>();
    int keySize = 0;
    for (LatencyPlan.Function f : functions) {
      FunctionQuery q;
      try {
        q = QueryPlanner.plan(question, Scopes.of(bin, body(bin, f)).at(f.entry().address()), true);
      } catch (QueryException e) {
        List<GoFunc> all = new ArrayList<>();
        for (LatencyPlan.Function g : functions) {
          all.add(body(bin, g));
        }
        throw QueryPlanner.inSome(e, question, Scopes.of(bin, all), true);
      }
      if (q.needsExit()) {
        for (LatencyPlan.Exit x : f.exits()) {
          if (x.kind() != ExitSite.Kind.RET) {
            throw tailJump(question, q, f.name(), x);
          }
        }
      }
      groupOf.add(groups.computeIfAbsent(q, k -> groups.size()));
      keySize = Math.max(keySize, question.by().isEmpty() ? 0 : (q.keys().size() + 7) & ~7);
      if (groups.size() > LatencyQuery.MAX_GROUPS) {
        throw new QueryException(text(question, q), 0, "the functions need more than " + LatencyQuery.MAX_GROUPS
            + " different compilations of the question", Optional.of("narrow the patterns"));
      }
    }
    return new LatencyQuery(question, List.copyOf(groups.keySet()), groupOf, keySize, maxKeys);
  }

  private static GoFunc body(GoBinary bin, LatencyPlan.Function f) {
    return bin.functionsNamed(f.name()).stream().filter(g -> g.contains(f.entry().address())).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no function " + f.name() + " around 0x" + Long.toHexString(f.entry().address())));
  }

  /**
   * A question on results refused for a function that leaves through a jump: at a tail jump the
   * results are those of the function jumped to, still to be computed, so they cannot be read.
   */
  static QueryException tailJump(Question question, FunctionQuery q, String function, LatencyPlan.Exit x) {
    String how = x.kind() == ExitSite.Kind.TAILCALL ? "a tail call" : "an indirect jump";
    return new QueryException(text(question, q), 0, function + " leaves through " + how + " at 0x"
        + Long.toHexString(x.site().address())
        + ", where its results are not yet computed: a question on its results cannot be answered",
        Optional.of("ask about its parameters only, or trace the function it jumps to"));
  }

  /** The text that refers to results: the --where when its exit side is used, else the --by. */
  private static String text(Question question, FunctionQuery q) {
    return q.exitFilter().isPresent() || question.by().isEmpty() ? question.whereText() : question.byText();
  }
}
