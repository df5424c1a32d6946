package dev.gotrace.core.plan;

import dev.gotrace.core.expr.Expr;
import dev.gotrace.core.query.HistQuery;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.query.QueryPlanner;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.query.Scope;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --hist EXPR} of funcs and args: at each entry probe of {@code base}, the value of EXPR
 * is counted in the kernel into a log2 histogram per function and {@code --by} key. Functions
 * whose compiled questions are equal share a group: one copy of the code, picked by the group
 * number in the high half of the cookie ({@link #cookie}).
 *
 * @param base the entry probes (the funcs plan)
 * @param question the {@code --where} and {@code --by}
 * @param groups the distinct compiled questions
 * @param groupOf each site's group
 * @param keySize bytes of a key of the histogram map (8-byte aligned; 8 without {@code --by})
 * @param maxKeys distinct keys the map holds
 */
public record HistPlan(ProbePlan base, Question question, List<HistQuery> groups, List<Integer> groupOf, int keySize,
    int maxKeys) {
  /** At most this many groups: each is a copy of the emitted code in the one program. */
  public static final int MAX_GROUPS = 64;

  public HistPlan {
    groups = List.copyOf(groups);
    groupOf = List.copyOf(groupOf);
  }

  /** The cookie of site {@code index}: its group in the high half. */
  public long cookie(int index) {
    return (long) groupOf.get(index) << 32 | index;
  }

  /** The probes with their cookies. */
  public List<AttachCheck.Probe> probes() {
    return base.probes().stream().map(p -> new AttachCheck.Probe(p.what(), p.address(), p.fileOffset(),
        cookie((int) p.cookie()))).toList();
  }

  /** The compiled question of site {@code index}. */
  public HistQuery of(int index) {
    return groups.get(groupOf.get(index));
  }

  /** Compiles {@code hist} (its text {@code text}) with {@code q} for each function of {@code base}. */
  public static HistPlan compile(GoBinary bin, ProbePlan base, Question q, String text, Expr hist, int maxKeys)
      throws GoBinaryException {
    List<Scope> scopes = EntryQuery.scopes(bin, base);
    Map<HistQuery, Integer> groups = new LinkedHashMap<>();
    List<Integer> groupOf = new ArrayList<>();
    int keySize = 8;
    for (Scope s : scopes) {
      HistQuery h;
      try {
        h = HistQuery.plan(q, text, hist, s);
      } catch (QueryException e) {
        if (e.text().equals(text)) {
          throw e;
        }
        throw QueryPlanner.inSome(e, q, scopes, false);
      }
      groupOf.add(groups.computeIfAbsent(h, k -> groups.size()));
      keySize = Math.max(keySize, (h.query().keys().size() + 7) & ~7);
      if (groups.size() > MAX_GROUPS) {
        throw new QueryException(text, 0, "the traced functions need more than " + MAX_GROUPS
            + " different compilations of --hist", Optional.of("trace fewer functions"));
      }
    }
    return new HistPlan(base, q, List.copyOf(groups.keySet()), groupOf, keySize, maxKeys);
  }
}
