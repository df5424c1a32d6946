package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Decodes a function's inline tree: funcdata FUNCDATA_InlTree points at an array of
 * {@code inlinedCall} entries and pcdata PCDATA_InlTreeIndex maps each PC to the entry of the
 * innermost inlined call it belongs to (-1: the outer function itself).
 *
 * <p>Entry layout per {@code runtime/symtab.go} (Go 1.12–1.19: parent int16, funcID uint8, pad,
 * file int32, line int32, func_ int32, parentPc int32) and {@code runtime/symtabinl.go} (Go 1.20+:
 * funcID uint8, pad[3], nameOff int32, parentPc int32, startLine int32). From Go 1.20 the parent
 * is the inline index at parentPc and the call site is the source position of parentPc, as the
 * runtime's inlineUnwinder computes them.
 */
public final class InlineTreeReader {
  /** Largest inline tree index accepted (a bound on a corrupt table's claims). */
  private static final int MAX_INDEX = 1 << 20;

  private final Pclntab tab;
  private final ImageReader image;
  private final OptionalLong gofunc;

  public InlineTreeReader(Pclntab tab, ImageReader image, OptionalLong gofunc) {
    this.tab = tab;
    this.image = image;
    this.gofunc = gofunc;
  }

  private record Entry(int index, String name, int funcID, int parent, long parentPc, Optional<SourcePos> site) {}

  /** Every inlined call of {@code f}, by inline tree index; empty when nothing was inlined. */
  public List<InlinedCall> read(GoFunc f) throws GoBinaryException {
    PclntabFormat format = tab.format();
    OptionalLong tree = tab.funcdataAddress(f, format.funcdataInlTree(), gofunc);
    if (tree.isEmpty()) {
      return List.of();
    }
    List<PcRun> runs = tab.pcdata(f, format.pcdataInlTreeIndex());
    TreeMap<Integer, List<PcRange>> ranges = new TreeMap<>();
    TreeMap<Integer, Entry> entries = entries(f, tree.getAsLong(), runs, new Positions(f), ranges);
    List<InlinedCall> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      String caller = e.parent() >= 0 && entries.containsKey(e.parent()) ? entries.get(e.parent()).name() : f.name();
      out.add(new InlinedCall(f.name(), e.index(), e.name(), e.funcID(), e.parent(), caller,
          e.parentPc(), e.site(), List.copyOf(ranges.getOrDefault(e.index(), List.of()))));
    }
    return List.copyOf(out);
  }

  /**
   * The names of the functions inlined into {@code f}, by inline tree index, one per entry that
   * {@link #read} returns, without their positions or PC ranges: what an index of every inlined
   * function needs from each tree.
   */
  public List<String> calleeNames(GoFunc f) throws GoBinaryException {
    PclntabFormat format = tab.format();
    OptionalLong tree = tab.funcdataAddress(f, format.funcdataInlTree(), gofunc);
    if (tree.isEmpty()) {
      return List.of();
    }
    List<PcRun> runs = tab.pcdata(f, format.pcdataInlTreeIndex());
    TreeMap<Integer, Entry> entries = entries(f, tree.getAsLong(), runs, null, null);
    List<String> out = new ArrayList<>(entries.size());
    for (Entry e : entries.values()) {
      out.add(e.name());
    }
    return out;
  }

  /**
   * The entries that the runs reach, following parents; with each run's range added to
   * {@code ranges} and call sites from {@code positions}, when given.
   */
  private TreeMap<Integer, Entry> entries(GoFunc f, long tree, List<PcRun> runs, Positions positions,
      TreeMap<Integer, List<PcRange>> ranges) throws GoBinaryException {
    TreeMap<Integer, Entry> entries = new TreeMap<>();
    for (PcRun r : runs) {
      if (r.value() < 0) {
        continue;
      }
      int ix = r.value();
      for (int depth = 0; ix >= 0; depth++) {
        if (ix >= MAX_INDEX || depth > 1000) {
          throw tab.corrupt(f.funcOffset(), "inline tree of " + f.name() + " has index " + ix + " or a cycle");
        }
        Entry e = entries.get(ix);
        if (e == null) {
          e = entry(f, tree, ix, runs, positions);
          entries.put(ix, e);
        }
        if (ranges != null) {
          add(ranges.computeIfAbsent(ix, k -> new ArrayList<>()), new PcRange(r.start(), r.end()));
        }
        ix = e.parent() == ix ? -1 : e.parent();
      }
    }
    return entries;
  }

  /**
   * The source positions of one function's pcs: the first few looked up by walking its file and
   * line tables from the entry (most inline trees have one or two entries), then from the
   * tables decoded once and searched by pc.
   */
  private final class Positions {
    /** Lookups answered by a walk before the tables are decoded. */
    private static final int WALKS = 4;
    private final GoFunc f;
    private int walks;
    private List<PcRun> files;
    private List<PcRun> lines;

    Positions(GoFunc f) {
      this.f = f;
    }

    Optional<SourcePos> at(long pc) throws GoBinaryException {
      int fileNo;
      int line;
      if (lines == null && walks < WALKS) {
        walks++;
        fileNo = tab.valueAt(f.pcfile(), f, pc);
        line = tab.valueAt(f.pcln(), f, pc);
      } else {
        if (lines == null) {
          files = tab.fileTable(f);
          lines = tab.lineTable(f);
        }
        fileNo = PcRun.valueAt(files, pc);
        line = PcRun.valueAt(lines, pc);
      }
      String file = tab.fileName(f.cuOffset(), fileNo);
      return file.isEmpty() || line < 0 ? Optional.empty() : Optional.of(new SourcePos(file, line));
    }
  }


  /** Entry {@code ix} of the tree at {@code tree}; its call site only when {@code positions} is given. */
  private Entry entry(GoFunc f, long tree, int ix, List<PcRun> runs, Positions positions)
      throws GoBinaryException {
    PclntabFormat format = tab.format();
    int size = format.inlinedCallSize();
    ByteCursor c = image.read(tree + (long) ix * size, size, "inline tree of " + f.name());
    if (format == PclntabFormat.GO120) {
      long parentPc = f.entry() + c.i32At(8);
      int parent = f.contains(parentPc) ? PcRun.valueAt(runs, parentPc) : -1;
      return new Entry(ix, tab.nameAt(c.i32At(4)), c.u8At(0), parent, parentPc,
          positions == null ? Optional.empty() : positions.at(parentPc));
    }
    int parent = (short) c.u16At(0);
    int fileNo = c.i32At(4);
    int line = c.i32At(8);
    String file = positions == null ? "" : tab.fileName(format == PclntabFormat.GO12 ? 0 : f.cuOffset(), fileNo);
    Optional<SourcePos> site = file.isEmpty() ? Optional.empty() : Optional.of(new SourcePos(file, line));
    return new Entry(ix, tab.nameAt(c.i32At(12)), c.u8At(2), parent, f.entry() + c.i32At(16), site);
  }

  /** Appends {@code r}, merging it with the last range when they touch. */
  private static void add(List<PcRange> list, PcRange r) {
    if (!list.isEmpty()) {
      PcRange last = list.get(list.size() - 1);
      if (last.end() == r.start()) {
        list.set(list.size() - 1, new PcRange(last.start(), r.end()));
        return;
      }
    }
    list.add(r);
  }
}
