package dev.gotrace.core.plan;

import dev.gotrace.core.query.Cond;
import dev.gotrace.core.query.FunctionQuery;
import dev.gotrace.core.query.Globals;
import dev.gotrace.core.query.KeyLayout;
import dev.gotrace.core.query.QueryAsm;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.query.QueryPlanner;
import dev.gotrace.core.query.Question;
import dev.gotrace.core.query.Scope;
import dev.gotrace.core.query.Scopes;
import dev.gotrace.core.query.Window;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code --where} of {@code funcs} and {@code args}, compiled for each traced function and
 * decided at the entry: a call it rejects writes no record. Functions whose compiled conditions
 * are equal share a group, one copy of the code in the program; a function whose condition is
 * always true (none) has no group.
 *
 * @param text the expression as given
 * @param groups the distinct conditions
 * @param groupOf each function's group (by the plan's function index), or -1: every call passes
 * @param windowBytes the stack the largest group's code needs ({@link dev.gotrace.core.query.QueryAsm#windowBytes})
 * @param unplaced the inlined copies (args) whose parameters the expression cannot be placed in:
 *     their calls are not shown
 * @param unplacedWhy why the first of them could not be (empty when none)
 */
public record EntryQuery(String text, List<Cond> groups, List<Integer> groupOf, int windowBytes, int unplaced,
    String unplacedWhy) {
  /** At most this many groups: each is a copy of the emitted code in one program. */
  public static final int MAX_GROUPS = 256;

  public EntryQuery {
    groups = List.copyOf(groups);
    groupOf = List.copyOf(groupOf);
    for (int g : groupOf) {
      if (g < -1 || g >= groups.size()) {
        throw new IllegalArgumentException("group " + g + " of " + groups.size());
      }
    }
  }

  /** Function {@code fn}'s group, empty when every call of it passes. */
  public OptionalInt group(int fn) {
    int g = groupOf.get(fn);
    return g < 0 ? OptionalInt.empty() : OptionalInt.of(g);
  }

  /**
   * Compiles {@code q} for each function of {@code scopes} (in plan order), refusing results (an
   * entry cannot see them). A function the question does not fit (a name it lacks, a type
   * mismatch) refuses the whole plan with a {@link dev.gotrace.core.query.QueryException} naming
   * the function and the column: a pattern's functions must all have what the expression names.
   */
  public static EntryQuery compile(Question q, List<Scope> scopes) {
    return compile(q, scopes, scopes.size());
  }

  /**
   * As {@link #compile(Question, List)}, but the scopes from {@code strict} on are inlined copies:
   * one the question does not fit (DWARF places no parameter there) passes no call, and is
   * counted in {@link #unplaced()}.
   */
  public static EntryQuery compile(Question q, List<Scope> scopes, int strict) {
    Map<Cond, Integer> groups = new LinkedHashMap<>();
    List<Integer> groupOf = new ArrayList<>();
    int window = Window.FIXED;
    int unplaced = 0;
    String why = "";
    for (int i = 0; i < scopes.size(); i++) {
      FunctionQuery fq;
      try {
        fq = QueryPlanner.plan(q, scopes.get(i), false);
      } catch (QueryException e) {
        if (i < strict) {
          throw QueryPlanner.inSome(e, q, scopes.subList(0, strict), false);
        }
        if (unplaced++ == 0) {
          why = e.problem();
        }
        fq = new FunctionQuery(Optional.of(new Cond.Truth(false)), Optional.empty(), List.of(),
            KeyLayout.none(q.keyBytes()));
      }
      window = Math.max(window, QueryAsm.windowBytes(fq));
      Optional<Cond> c = fq.entryFilter().map(EntryQuery::fold).filter(k -> !k.equals(new Cond.Truth(true)));
      groupOf.add(c.map(k -> groups.computeIfAbsent(k, x -> groups.size())).orElse(-1));
    }
    if (groups.size() > MAX_GROUPS) {
      throw new QueryException(q.whereText(), 0, "the traced functions make "
          + groups.size() + " different conditions, more than the " + MAX_GROUPS + " one program holds",
          Optional.of("trace fewer functions with this --where"));
    }
    return new EntryQuery(q.whereText(), List.copyOf(groups.keySet()), groupOf, window, unplaced, why);
  }

  /**
   * {@code c} with its constant parts folded ({@code !true}, {@code false && x}, {@code true || x}):
   * a test that cannot fail or cannot pass is no code, or one jump, and no unreachable instruction
   * (which the verifier refuses) follows it.
   */
  static Cond fold(Cond c) {
    if (c instanceof Cond.Not n) {
      Cond x = fold(n.operand());
      return x instanceof Cond.Truth t ? new Cond.Truth(!t.value()) : new Cond.Not(x);
    }
    if (c instanceof Cond.And a) {
      return fold(a.left(), a.right(), true);
    }
    if (c instanceof Cond.Or o) {
      return fold(o.left(), o.right(), false);
    }
    return c;
  }

  /**
   * {@code left && right} ({@code and}) or {@code left || right} folded: a constant that decides
   * the whole ({@code false} for &&, {@code true} for ||) is the result, the other constant drops out.
   */
  private static Cond fold(Cond left, Cond right, boolean and) {
    Cond l = fold(left);
    Cond r = fold(right);
    if (l instanceof Cond.Truth t) {
      return t.value() == and ? r : l;
    }
    if (r instanceof Cond.Truth t) {
      return t.value() == and ? l : r;
    }
    return and ? new Cond.And(l, r) : new Cond.Or(l, r);
  }

  /**
   * The scopes of an args plan's functions: their bodies' as for funcs, then each inlined copy's
   * parameters where DWARF places them at the copy's probe. {@link #compile(Question, List, int)}
   * with {@code strict} = {@code plan.base().sites().size()}.
   */
  public static List<Scope> scopes(GoBinary bin, ArgsPlan plan) throws GoBinaryException {
    List<Scope> out = new ArrayList<>(scopes(bin, plan.base()));
    for (ArgsPlan.FunctionArgs f : plan.functions().subList(out.size(), plan.functions().size())) {
      Scope s = f.typed() ? Scope.typed(f.function(), bin.arch(), f.inputs(), List.of())
          : new Scope(f.function(), bin.arch(), List.of(), List.of(), false, Scope.Positional.NONE);
      int fn = plan.functions().indexOf(f);
      OptionalLong at = plan.sites().stream().filter(x -> plan.blocks().get(x.block()).function() == fn)
          .mapToLong(ArgsPlan.ArgsSite::address).findFirst();
      out.add(s.with(Globals.of(bin), at));
    }
    return out;
  }

  /** The scopes of {@code plan}'s functions, from the DWARF of their units when there is any. */
  public static List<Scope> scopes(GoBinary bin, ProbePlan plan) throws GoBinaryException {
    List<GoFunc> fs = new ArrayList<>();
    List<ProbeSite> entries = plan.sites().stream().filter(s -> s.line().isEmpty()).toList();
    if (entries.size() < plan.sites().size()) { // line probes: the values live at each line's PC
      List<Long> pcs = plan.sites().stream().map(ProbeSite::probeAddress).toList();
      Optional<GoDwarf> dwarf = bin.dwarfFor(pcs);
      List<Scope> out = new ArrayList<>();
      for (ProbeSite s : plan.sites()) {
        out.add(s.line().isPresent() ? Scopes.atLine(bin, s.line().get().site(), dwarf)
            : Scopes.of(bin, function(bin, s), dwarf).at(s.probeAddress()));
      }
      return out;
    }
    for (ProbeSite s : plan.sites()) {
      fs.add(function(bin, s));
    }
    List<Scope> scopes = Scopes.of(bin, fs);
    List<Scope> out = new ArrayList<>(scopes.size());
    for (int i = 0; i < scopes.size(); i++) {
      out.add(scopes.get(i).at(plan.sites().get(i).probeAddress()));
    }
    return out;
  }

  /** What the probe of {@code plan}'s site {@code i} sees, alone (no other site's DWARF is read). */
  public static Scope scope(GoBinary bin, ProbePlan plan, int i) throws GoBinaryException {
    ProbeSite s = plan.sites().get(i);
    return s.line().isPresent() ? Scopes.atLine(bin, s.line().get().site())
        : Scopes.of(bin, function(bin, s)).at(s.probeAddress());
  }

  private static GoFunc function(GoBinary bin, ProbeSite s) {
    return bin.functionsNamed(s.function()).stream().filter(g -> g.entry() == s.entry()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no function " + s.function() + " at its entry"));
  }
}
