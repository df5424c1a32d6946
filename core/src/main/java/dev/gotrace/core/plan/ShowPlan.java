package dev.gotrace.core.plan;

import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.query.Scope;
import dev.gotrace.core.query.Shows;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --show} in a plan: the package variables each entry record carries after its
 * arguments ({@link RecordLayout#withShown}), read by the probe at the moment of the call. Each
 * name is resolved in the probe's {@link Scope}, which gives a PIE's probes their link address
 * for the load bias.
 */
public final class ShowPlan {
  private ShowPlan() {}

  /** {@code plan} with {@code shows} appended to its entry and inlined-copy records. */
  public static ArgsPlan args(GoBinary bin, ArgsPlan plan, Shows shows) throws GoBinaryException {
    if (shows.isEmpty()) {
      return plan;
    }
    List<Scope> scopes = EntryQuery.scopes(bin, plan);
    List<ArgsPlan.Block> blocks = new ArrayList<>();
    for (ArgsPlan.Block b : plan.blocks()) {
      if (b.kind() == ArgsPlan.Kind.ENTRY || b.kind() == ArgsPlan.Kind.INLINED || b.kind() == ArgsPlan.Kind.LINE) {
        Scope s = scopes.get(b.function());
        blocks.add(new ArgsPlan.Block(b.id(), b.function(), b.kind(),
            b.layout().withShown(shows.resolve(site(plan, b, s)), plan.strsize())));
      } else {
        blocks.add(b);
      }
    }
    return new ArgsPlan(plan.base(), plan.stackHiOffset(), plan.strsize(), plan.functions(), blocks, plan.sites(),
        plan.notes());
  }

  /** The scope at the block's own probe (an inlined copy's, not its function's first). */
  private static Scope site(ArgsPlan plan, ArgsPlan.Block b, Scope s) {
    return plan.sites().stream().filter(x -> x.block() == b.id()).findFirst().map(x -> s.at(x.address())).orElse(s);
  }

  /**
   * The record tail of {@code funcs --show}: the values after the call record's fixed words, the
   * same for every function; in a PIE each function would need its own (the load bias comes from
   * the probe's link address), so funcs refuses there.
   */
  public static RecordLayout funcs(GoBinary bin, ProbePlan plan, Shows shows, int strsize) throws GoBinaryException {
    if (shows.isEmpty() || plan.sites().isEmpty()) {
      return RecordLayout.of(List.of(), strsize);
    }
    if (bin.isPie()) {
      throw new QueryException(shows.text(), 0,
          "funcs --show in a position-independent binary is not supported: each function's probe would need its own"
              + " load bias", Optional.of("use gotrace args --show, which reads them per function"));
    }
    Scope s = EntryQuery.scopes(bin, plan).get(0);
    return RecordLayout.of(List.of(), strsize).withShown(shows.resolve(s), strsize);
  }
}
