package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The DWARF of a binary, read a unit at a time: the {@link UnitIndex} up front (headers and root
 * DIEs only), then the DIEs of just the units a question needs, each at most once. A
 * {@link GoDwarf} view over the units read so far answers the question; the facts it gives are
 * those a read of every unit gives, because every unit a read unit refers to (a type in the
 * linker's type unit, an abstract origin in another package's unit) is read too.
 *
 * <p>Which units: those whose code holds the asked-for addresses, and every unit named
 * "runtime": the Go linker writes every Go type DIE (runtime.g among them) into one of the
 * runtime package's units ({@code ctxt.runtimeCU}, cmd/link/internal/ld/dwarf.go), which is not
 * always the last of them in the section (DwarfUnitsTest). Thread-safe.
 */
public final class DwarfUnits {
  private static final String RUNTIME = "runtime";

  private final DwarfSections s;
  private final UnitIndex index;
  private final Indexer ix;
  private final Set<Unit> walked = new HashSet<>();
  private int refsChecked;
  private GoDwarf view;
  /** A unit that failed to read leaves the index half-filled: every later question fails the same way. */
  private CorruptBinaryException failed;

  private DwarfUnits(DwarfSections s, UnitIndex index) {
    this.s = s;
    this.index = index;
    this.ix = new Indexer(s);
  }

  /**
   * Reads the unit index of {@code sections}. {@code ptrSize} is the binary's pointer size (4 or
   * 8); every unit must declare the same address size.
   *
   * @throws CorruptBinaryException for a malformed unit header or root DIE
   */
  public static DwarfUnits open(DwarfSections sections, int ptrSize) throws CorruptBinaryException {
    if (ptrSize != 4 && ptrSize != 8) {
      throw new IllegalArgumentException("pointer size " + ptrSize);
    }
    return new DwarfUnits(sections, guarded(sections, () -> UnitIndex.read(sections, ptrSize)));
  }

  /** Every unit, read: what {@link GoDwarf#read} returns. */
  public synchronized GoDwarf all() throws CorruptBinaryException {
    List<UnitIndex.Entry> batch = new ArrayList<>();
    for (UnitIndex.Entry e : index.units()) {
      batch.add(e);
    }
    return load(batch);
  }

  /**
   * A view that describes the code at each of {@code pcs} (its functions, their parameters and
   * types, the copies inlined into it) and every Go type, having read only the units those need.
   */
  public synchronized GoDwarf covering(Collection<Long> pcs) throws CorruptBinaryException {
    Set<UnitIndex.Entry> batch = new LinkedHashSet<>();
    for (UnitIndex.Entry e : index.units()) {
      if (e.name().equals(RUNTIME)) {
        batch.add(e);
      }
    }
    for (long pc : pcs) {
      batch.addAll(index.mayDescribe(pc));
    }
    return load(batch);
  }

  /** The package paths of the units, in order, each once ("main", "net/http"). */
  public synchronized List<String> packagePaths() {
    return index.units().stream().map(UnitIndex.Entry::name).filter(n -> !n.isEmpty()).distinct().toList();
  }

  /**
   * The package-level variables of package {@code path} ({@link PackageVariables}), with their
   * types: the package's units and those their types are in are read, as {@link #covering} reads.
   */
  public synchronized List<PackageVariable> packageVariables(String path) throws CorruptBinaryException {
    Set<UnitIndex.Entry> batch = new LinkedHashSet<>();
    for (UnitIndex.Entry e : index.units()) {
      if (e.name().equals(RUNTIME) || e.name().equals(path)) {
        batch.add(e);
      }
    }
    List<PackageVariables.Raw> raw = new ArrayList<>();
    for (UnitIndex.Entry e : batch) {
      if (e.name().equals(path)) {
        raw.addAll(guarded(s, () -> PackageVariables.of(s, e.unit())));
      }
    }
    for (PackageVariables.Raw v : raw) {
      if (v.type() != -1) {
        index.containing(v.type()).ifPresent(batch::add);
      }
    }
    GoDwarf d = load(batch);
    List<PackageVariable> out = new ArrayList<>(raw.size());
    for (PackageVariables.Raw v : raw) {
      GoType t = v.type() == -1 ? null : d.type(v.type()).orElse(null);
      if (t == null) {
        throw s.info().corrupt(v.die(), "the type of " + v.name() + " (0x" + Long.toHexString(v.type())
            + ") is not a type DIE");
      }
      out.add(new PackageVariable(v.name(), v.address(), t, v.die()));
    }
    return out;
  }

  /** How many units the index has, and how many have been read (tests, benchmarks). */
  synchronized int[] unitsRead() {
    return new int[] {index.units().size(), walked.size()};
  }

  UnitIndex index() {
    return index;
  }

  private GoDwarf load(Collection<UnitIndex.Entry> wanted) throws CorruptBinaryException {
    if (failed != null) {
      throw failed;
    }
    try {
      return read(wanted);
    } catch (CorruptBinaryException e) {
      failed = e;
      throw e;
    }
  }

  private GoDwarf read(Collection<UnitIndex.Entry> wanted) throws CorruptBinaryException {
    return guarded(s, () -> {
      List<UnitIndex.Entry> batch = new ArrayList<>(wanted);
      boolean grew = false;
      while (!batch.isEmpty()) {
        for (UnitIndex.Entry e : batch) {
          if (walked.add(e.unit())) {
            ix.walkUnit(e.unit());
            grew = true;
          }
        }
        batch = referencedUnread();
      }
      if (view == null || grew) {
        boolean complete = walked.size() == index.units().size();
        view = GoDwarf.of(s, ix, index.versions(), complete, this::covers);
      }
      return view;
    });
  }

  /** The units not read yet that a read unit refers into. */
  private List<UnitIndex.Entry> referencedUnread() {
    Set<UnitIndex.Entry> out = new LinkedHashSet<>();
    List<Long> refs = ix.refs;
    for (; refsChecked < refs.size(); refsChecked++) {
      long r = refs.get(refsChecked);
      if (r != -1) {
        index.containing(r).filter(e -> !walked.contains(e.unit())).ifPresent(out::add);
      }
    }
    return new ArrayList<>(out);
  }

  /** Whether every unit describing the code at {@code pc} has been read. */
  private synchronized boolean covers(long pc) {
    for (UnitIndex.Entry e : index.mayDescribe(pc)) {
      if (!walked.contains(e.unit())) {
        return false;
      }
    }
    return true;
  }

  private interface Step<T> {
    T run() throws CorruptBinaryException;
  }

  private static <T> T guarded(DwarfSections s, Step<T> step) throws CorruptBinaryException {
    try {
      return step.run();
    } catch (DwarfSections.Unreadable e) {
      throw e.corrupt();
    } catch (RuntimeException e) {
      throw new CorruptBinaryException(s.info().file(), s.info().region(), 0, "malformed DWARF: " + e, e);
    }
  }
}
