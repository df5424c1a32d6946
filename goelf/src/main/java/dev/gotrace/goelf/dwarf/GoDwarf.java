package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.dwarf.Indexer.RawParam;
import dev.gotrace.goelf.dwarf.Indexer.RawSub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The DWARF of a Go binary, indexed: every function with code and its parameters, every type,
 * and the layout of {@code runtime.g}. Built up front in one pass ({@link #read}); afterwards
 * immutable and safe to share between threads.
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

  /** {@code types} iterates in DIE order, which breaks ties between types of one name. */
  private GoDwarf(List<Subprogram> functions, Map<Long, GoType> types, Map<Integer, Integer> versions,
      Map<Long, GoType> byRuntimeType, InlinedIndex inlined) {
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
   * size (4 or 8); every unit must declare the same address size.
   *
   * @throws CorruptBinaryException for any malformed input, naming the section and offset
   */
  public static GoDwarf read(DwarfSections sections, int ptrSize) throws CorruptBinaryException {
    if (ptrSize != 4 && ptrSize != 8) {
      throw new IllegalArgumentException("pointer size " + ptrSize);
    }
    try {
      Indexer ix = new Indexer(sections);
      ix.run(ptrSize);
      TypeBuilder refs = new TypeBuilder(sections, ix.types);
      Map<Long, GoType> types = refs.build();
      Map<Long, GoType> byRuntime = new HashMap<>();
      for (Indexer.RawType t : ix.types.values()) {
        // 0 is "no type", as in the runtime's resolveTypeOff (runtime/type.go).
        if (t.runtimeType > 0) {
          byRuntime.putIfAbsent(t.runtimeType, types.get(t.offset));
        }
      }
      List<Subprogram> fns = new ArrayList<>();
      for (RawSub sub : ix.subList) {
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
      InlinedIndex inlined = new InlinedIndex(ix, p -> param(sections, abstractParams, types, p));
      return new GoDwarf(fns, types, ix.versions, byRuntime, inlined);
    } catch (RuntimeException e) {
      throw new CorruptBinaryException(sections.info().file(), sections.info().region(), 0,
          "malformed DWARF: " + e, e);
    }
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

  /** Every function with code, by ascending entry address. */
  public List<Subprogram> functions() {
    return functions;
  }

  /** The function named {@code name} exactly (the first, if several share the name). */
  public Optional<Subprogram> function(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The function whose code contains {@code pc}. */
  public Optional<Subprogram> functionAt(long pc) {
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

  /** Every inlined copy of the function named {@code name}, in DIE order. */
  public List<InlinedSubroutine> inlinedCopies(String name) {
    return inlined.copies(name);
  }

  /**
   * The innermost inlined copy of {@code name} whose code contains {@code pc}: where the probe at
   * an inlined call's first instruction finds that call's parameters.
   */
  public Optional<InlinedSubroutine> inlinedAt(String name, long pc) {
    return inlinedCopies(name).stream().filter(c -> c.contains(pc))
        .min(Comparator.comparingLong(InlinedSubroutine::size));
  }

  /** The type whose DIE is at {@code dieOffset} in .debug_info. */
  public Optional<GoType> type(long dieOffset) {
    return Optional.ofNullable(types.get(dieOffset));
  }

  /** A type by its DWARF name, e.g. "runtime.g", "main.Point", "*main.Node". */
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

  /** Number of type DIEs indexed. */
  public int typeCount() {
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
