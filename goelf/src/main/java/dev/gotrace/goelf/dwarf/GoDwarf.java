package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawParam;
import dev.gotrace.goelf.dwarf.Indexer.RawSub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The DWARF of a Go binary, indexed: functions with code and their parameters, types, and the
 * layout of {@code runtime.g}. Either of every unit ({@link #read}, {@link DwarfUnits#all}) or a
 * view over the units {@link DwarfUnits#covering} read: the runtime's units (with every Go type),
 * and the units of some code. A view answers about that code exactly as a read of every unit
 * does, and refuses ({@link IllegalStateException}) questions about code or the whole binary it
 * has not read. Immutable and safe to share between threads.
 */
public final class GoDwarf {
  private static final int MAX_ORIGIN_CHAIN = 8;

  private final List<Subprogram> functions;
  private final Map<String, Subprogram> byName;
  private final Map<Long, GoType> types;
  private final Map<String, GoType> typesByName;
  private final Map<Long, GoType> byRuntimeType;
  private final Optional<GLayout> gLayout;
  private final Map<Integer, Integer> unitVersions;
  private final InlinedIndex inlined;
  private final boolean complete;
  private final LongPredicate covers;
  /** Set once by {@link #of}, before the value is shared. */
  private LocalsIndex locals = LocalsIndex.EMPTY;

  /** {@code types} iterates in DIE order, which breaks ties between types of one name. */
  private GoDwarf(List<Subprogram> functions, Map<Long, GoType> types, Map<Integer, Integer> versions,
      Map<Long, GoType> byRuntimeType, InlinedIndex inlined, boolean complete, LongPredicate covers) {
    this.complete = complete;
    this.covers = covers;
    this.functions = List.copyOf(functions);
    this.inlined = inlined;
    this.types = types;
    this.byRuntimeType = Collections.unmodifiableMap(byRuntimeType);
    this.unitVersions = Collections.unmodifiableMap(new TreeMap<>(versions));
    Map<String, Subprogram> names = new HashMap<>();
    for (Subprogram f : this.functions) {
      names.putIfAbsent(f.name(), f);
    }
    this.byName = Collections.unmodifiableMap(names);
    Map<String, GoType> tn = new HashMap<>();
    for (GoType t : types.values()) {
      if (!t.name().isEmpty()) {
        tn.merge(t.name(), t, (a, b) -> preferred(a, b));
      }
    }
    this.typesByName = Collections.unmodifiableMap(tn);
    this.gLayout = GLayouts.fromType(typesByName.get("runtime.g"));
  }

  /**
   * Reads and indexes all units of {@code sections}. {@code ptrSize} is the binary's pointer
   * size (4 or 8); every unit must declare the same address size. {@link DwarfUnits} reads only
   * the units a question needs.
   *
   * @throws CorruptBinaryException for any malformed input, naming the section and offset
   */
  public static GoDwarf read(DwarfSections sections, int ptrSize) throws CorruptBinaryException {
    return DwarfUnits.open(sections, ptrSize).all();
  }

  /**
   * The view over the units {@code ix} has walked, each DIE list taken in DIE (offset) order
   * whatever order the units were walked in, so that ties break as in a read of every unit.
   */
  static GoDwarf of(DwarfSections sections, Indexer ix, Map<Integer, Integer> versions, boolean complete,
      LongPredicate covers) throws CorruptBinaryException {
    Map<Long, Indexer.RawType> raw = new LinkedHashMap<>(new TreeMap<>(ix.types));
    TypeBuilder refs = new TypeBuilder(sections, raw);
    Map<Long, GoType> types = refs.build();
    Map<Long, GoType> byRuntime = new HashMap<>();
    for (Indexer.RawType t : raw.values()) {
      // 0 is "no type", as in the runtime's resolveTypeOff (runtime/type.go).
      if (t.runtimeType > 0) {
        byRuntime.putIfAbsent(t.runtimeType, types.get(t.offset));
      }
    }
    List<RawSub> subs = new ArrayList<>(ix.subList);
    subs.sort(Comparator.comparingLong(sub -> sub.offset));
    List<Subprogram> fns = new ArrayList<>();
    for (RawSub sub : subs) {
      // -1: no code (abstract DIE); 0: code the linker discarded (GNU ld's tombstone).
      if (sub.lowPc == -1 || sub.lowPc == 0) {
        continue;
      }
      String name = originName(ix, sub);
      if (name == null) {
        continue;
      }
      List<Param> params = new ArrayList<>(sub.params.size());
      for (RawParam p : sub.params) {
        params.add(param(sections, ix.params, types, p));
      }
      fns.add(new Subprogram(name, sub.lowPc, sub.highPc, params, sub.offset));
    }
    fns.sort(Comparator.comparingLong(Subprogram::lowPc));
    Map<Long, RawParam> abstractParams = ix.params;
    List<Indexer.RawInlined> inlinedInOrder = new ArrayList<>(ix.inlined);
    inlinedInOrder.sort(Comparator.comparingLong(in -> in.offset));
    InlinedIndex inlined = new InlinedIndex(ix, inlinedInOrder, p -> param(sections, abstractParams, types, p));
    GoDwarf d = new GoDwarf(fns, types, versions, byRuntime, inlined, complete, covers);
    d.locals = new LocalsIndex(sections, ix.locals.byOwner, p -> param(sections, abstractParams, types, p));
    return d;
  }

  static String originName(Indexer ix, RawSub sub) {
    RawSub cur = sub;
    for (int i = 0; i < MAX_ORIGIN_CHAIN && cur != null; i++) {
      if (cur.name != null) {
        return cur.name;
      }
      cur = cur.origin == -1 ? null : ix.subs.get(cur.origin);
    }
    return null;
  }

  private static Param param(DwarfSections s, Map<Long, RawParam> abstractParams, Map<Long, GoType> types,
      RawParam p) throws CorruptBinaryException {
    String name = p.name;
    long type = p.type;
    int variable = p.variable;
    RawParam cur = p;
    for (int i = 0; i < MAX_ORIGIN_CHAIN && cur.origin != -1; i++) {
      RawParam o = abstractParams.get(cur.origin);
      if (o == null) {
        throw s.info().corrupt(cur.offset, "abstract origin 0x" + Long.toHexString(cur.origin)
            + " is not a formal parameter");
      }
      name = name != null ? name : o.name;
      type = type != -1 ? type : o.type;
      variable = variable != -1 ? variable : o.variable;
      cur = o;
    }
    GoType t = type == -1 ? VOID : types.get(type);
    if (t == null) {
      throw s.info().corrupt(p.offset, "type reference to 0x" + Long.toHexString(type) + " is not a type DIE");
    }
    Optional<Location> loc = Optional.empty();
    if (p.expr != null) {
      loc = Optional.of(new Location.Expr(p.expr));
    } else if (p.listOffset != -1) {
      loc = Optional.of(LocLists.read(s, p.unit, p.listOffset));
    }
    return new Param(name == null ? "" : name, t, variable > 0, loc);
  }

  private static final GoType VOID = new GoType.Other("void", 0, 0, 0, Optional.empty());

  /**
   * Of two types with one name, the more useful: a Go type (with DW_AT_go_kind) before a C type
   * of the same name from a cgo binary, a described type before a typedef.
   */
  private static GoType preferred(GoType a, GoType b) {
    if ((a.goKind() != 0) != (b.goKind() != 0)) {
      return a.goKind() != 0 ? a : b;
    }
    if (a instanceof GoType.Typedef != b instanceof GoType.Typedef) {
      return a instanceof GoType.Typedef ? b : a;
    }
    return a.size() >= 0 || b.size() < 0 ? a : b;
  }

  /** Every function with code, by ascending entry address; only in a read of every unit. */
  public List<Subprogram> functions() {
    requireComplete("every function");
    return functions;
  }

  /** Whether every unit was read, so that every question can be answered. */
  public boolean complete() {
    return complete;
  }

  private void requireComplete(String what) {
    if (!complete) {
      throw new IllegalStateException(what + " asked of a DWARF view over some units only");
    }
  }

  private void requireCovered(long pc) {
    if (!covers.test(pc)) {
      throw new IllegalStateException("the code at 0x" + Long.toHexString(pc) + " asked of a DWARF view that did not read its unit");
    }
  }

  /**
   * The function named {@code name} exactly (the first, if several share the name), among the
   * units read: in a view, runtime functions and those of the code it covers.
   */
  public Optional<Subprogram> function(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The function whose code contains {@code pc}. */
  public Optional<Subprogram> functionAt(long pc) {
    requireCovered(pc);
    int lo = 0;
    int hi = functions.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Subprogram f = functions.get(mid);
      if (Long.compareUnsigned(pc, f.lowPc()) < 0) {
        hi = mid - 1;
      } else if (Long.compareUnsigned(pc, f.highPc()) >= 0) {
        lo = mid + 1;
      } else {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The names of the functions inlined somewhere, among the units read (tests). */
  Set<String> inlinedNames() {
    return inlined.names();
  }

  /** Every inlined copy of the function named {@code name}, in DIE order; only in a read of every unit. */
  public List<InlinedSubroutine> inlinedCopies(String name) {
    requireComplete("every inlined copy");
    return inlined.copies(name);
  }

  /**
   * The innermost inlined copy of {@code name} whose code contains {@code pc}: where the probe at
   * an inlined call's first instruction finds that call's parameters.
   */
  public Optional<InlinedSubroutine> inlinedAt(String name, long pc) {
    requireCovered(pc);
    return inlined.copies(name).stream().filter(c -> c.contains(pc))
        .min(Comparator.comparingLong(InlinedSubroutine::size));
  }

  /**
   * The local variables in scope at {@code pc} of the function ({@link Subprogram#dieOffset()}) or
   * inlined copy ({@link InlinedSubroutine#dieOffset()}) whose DIE is at {@code ownerDie}: its
   * DW_TAG_variable DIEs, directly in it or in the lexical blocks that contain {@code pc}, the
   * innermost of one name. Whether each is live at {@code pc} is its location there
   * ({@link Param#placeAt}). Parameters are not included.
   */
  public List<Param> localsAt(long ownerDie, long pc) {
    requireCovered(pc);
    return locals.at(ownerDie, pc);
  }

  /** The type whose DIE is at {@code dieOffset} in .debug_info. */
  public Optional<GoType> type(long dieOffset) {
    return Optional.ofNullable(types.get(dieOffset));
  }

  /**
   * A type by its DWARF name, e.g. "runtime.g", "main.Point", "*main.Node", among the units
   * read: every Go type in a view (the Go linker writes them all into one "runtime" unit).
   */
  public Optional<GoType> typeNamed(String name) {
    return Optional.ofNullable(typesByName.get(name));
  }

  /**
   * The type whose runtime descriptor (abi.Type, runtime._type) lies {@code offset} bytes after
   * {@code runtime.types} (moduledata.types): DW_AT_go_runtime_type, which the linker writes
   * as a section-relative R_ADDROFF (cmd/link/internal/ld/dwarf.go). With it, the type word of
   * an interface value names its dynamic type. (The linker's synthesized uintptr DIE carries an
   * absolute address instead; it is indexed the same way.)
   */
  public Optional<GoType> typeByRuntimeOffset(long offset) {
    return Optional.ofNullable(byRuntimeType.get(offset));
  }

  /** Runtime type offset → type, for tests. */
  Map<Long, GoType> runtimeTypes() {
    return byRuntimeType;
  }

  /** Number of type DIEs indexed; only in a read of every unit. */
  public int typeCount() {
    requireComplete("the number of types");
    return types.size();
  }

  /**
   * DWARF version → number of units of that version, e.g. {4=135} for Go 1.22, or {4=54, 5=16}
   * for a cgo binary whose C parts gcc compiled.
   */
  public Map<Integer, Integer> unitVersions() {
    return unitVersions;
  }

  /** Offsets inside runtime.g, when DWARF describes it. */
  public Optional<GLayout> gLayout() {
    return gLayout;
  }
}
