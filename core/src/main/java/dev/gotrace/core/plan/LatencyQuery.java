package dev.gotrace.core.plan;

import dev.gotrace.core.query.FunctionQuery;
import dev.gotrace.core.query.KeyLayout;
import dev.gotrace.core.query.Question;
import java.util.List;

/**
 * {@code --where} and {@code --by} of a latency plan, compiled for each traced function.
 * Functions whose compiled queries are equal share a group: one copy of the code in each
 * program, chosen by the group number the probes' cookies carry.
 *
 * @param question what the user asked, as parsed
 * @param groups the distinct compiled queries
 * @param groupOf each function's group, by function index
 * @param keySize bytes of a key of the keyed map: the largest group's key, 8-byte aligned (the
 *     shorter ones zero padded); 0 without {@code --by}
 * @param maxKeys distinct keys the keyed map holds ({@code --max-keys})
 */
public record LatencyQuery(Question question, List<FunctionQuery> groups, List<Integer> groupOf, int keySize,
    int maxKeys) {
  /** At most this many groups: one copy of the emitted code each, in both programs. */
  public static final int MAX_GROUPS = 64;

  public LatencyQuery {
    groups = List.copyOf(groups);
    groupOf = List.copyOf(groupOf);
    if (groups.isEmpty() || groups.size() > MAX_GROUPS) {
      throw new IllegalArgumentException(groups.size() + " query groups, need 1.." + MAX_GROUPS);
    }
    if (keySize % 8 != 0 || keySize < 0) {
      throw new IllegalArgumentException("key size " + keySize + " is not a multiple of 8");
    }
  }

  /** Whether calls are grouped by key ({@code --by}). */
  public boolean keyed() {
    return !question.by().isEmpty();
  }

  /** Whether some function's calls can be rejected at their entry. */
  public boolean entryFiltered() {
    return groups.stream().anyMatch(g -> g.entryFilter().isPresent());
  }

  /** The compiled query of function {@code fn}. */
  public FunctionQuery of(int fn) {
    return groups.get(groupOf.get(fn));
  }

  /** The key layout of function {@code fn}. */
  public KeyLayout keysOf(int fn) {
    return of(fn).keys();
  }

  /** Bytes of an in-flight value: {ktime, function, captured bits} and the entry's key parts. */
  public int inflightValueSize() {
    return 24 + keySize;
  }
}
