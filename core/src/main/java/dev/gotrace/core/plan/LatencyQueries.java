package dev.gotrace.core.plan;

import dev.gotrace.core.query.FunctionQuery;
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

/** Compiles a {@link Question} for each function of a latency plan, in groups of equal compiled queries. */
final class LatencyQueries {
  private LatencyQueries() {}

  static LatencyQuery compile(GoBinary bin, Question question, List<LatencyPlan.Function> functions, int maxKeys)
      throws GoBinaryException {
    Map<FunctionQuery, Integer> groups = new LinkedHashMap<>();
    List<Integer> groupOf = new ArrayList<>();
    int keySize = 0;
    for (LatencyPlan.Function f : functions) {
      GoFunc body = bin.functionsNamed(f.name()).stream().filter(g -> g.contains(f.entry().address())).findFirst().orElseThrow(() -> new IllegalStateException(
              "no function " + f.name() + " around 0x" + Long.toHexString(f.entry().address())));
      FunctionQuery q = QueryPlanner.plan(question, Scopes.of(bin, body), true);
      if (atExit(q)) {
        f.exits().stream().filter(x -> x.kind() != ExitSite.Kind.RET).findFirst().ifPresent(x -> {
          throw TailJumps.refusal(question, f.name(), x);
        });
      }
      groupOf.add(groups.computeIfAbsent(q, k -> groups.size()));
      keySize = Math.max(keySize, question.by().isEmpty() ? 0 : (q.keys().size() + 7) & ~7);
    }
    if (groups.size() > LatencyQuery.MAX_GROUPS) {
      throw new IllegalArgumentException("too many groups");
    }
    return new LatencyQuery(question, List.copyOf(groups.keySet()), groupOf, keySize, maxKeys);
  }

  /** Whether the query reads a result: a condition or a key part decided at the exit. */
  static boolean atExit(FunctionQuery q) {
    return q.exitFilter().isPresent() || q.keys().parts().stream().anyMatch(p -> p.atExit());
  }
}
