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

  /** The most functions {@code funcs --show} traces in a PIE (its program finds each one's link address). */
  public static final int MAX_PIE_SITES = 4096;

  /**
   * The record tail of {@code funcs --show}: the values after the call record's fixed words, the
   * same for every function. In a PIE the program computes the load bias from the site the record
   * names (a tree of compares over the sites' link addresses), so it takes at most {@link
   * #MAX_PIE_SITES} sites.
   */
  public static RecordLayout funcs(GoBinary bin, ProbePlan plan, Shows shows, int strsize) throws GoBinaryException {
    if (shows.isEmpty() || plan.sites().isEmpty()) {
      return RecordLayout.of(List.of(), strsize);
    }
    if (bin.isPie() && plan.sites().size() > MAX_PIE_SITES) {
      throw new QueryException(shows.text(), 0,
          "funcs --show in a position-independent binary traces at most " + MAX_PIE_SITES + " functions, not "
              + plan.sites().size(), Optional.of("name fewer functions, or use gotrace args --show"));
    }
    Scope s = EntryQuery.scope(bin, plan, 0); // the values are package variables: any site's scope names them
    return RecordLayout.of(List.of(), strsize).withShown(shows.resolve(s), strsize);
  }
}
