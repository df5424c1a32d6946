package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.SupportedGo;
import dev.gotrace.goelf.UnsupportedGoException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.io.ByteCursor;
import dev.gotrace.goelf.work.Ordered;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.RandomAccess;

/**
 * A decoded pclntab: header, function table, file table and pc-value tables. Header words per
 * {@code debug/gosym/pclntab.go} ({@code parsePclnTab}) and {@code runtime/symtab.go}
 * ({@code pcHeader}); {@code _func} per {@code runtime/runtime2.go}. The function table is read
 * once, eagerly; pc-value tables are decoded on demand.
 */
public final class Pclntab {
  private final ByteCursor tab;
  private final long address;
  private final PclntabFormat format;
  private final int quantum;
  private final int ptrSize;
  private final long textStart;
  private final ByteCursor funcnames;
  private final ByteCursor cutab;
  private final ByteCursor filetab;
  private final ByteCursor pctab;
  private final ByteCursor funcdata;
  private final int nfiles;
  private final List<GoFunc> funcs;
  private final long[] entries;
  private final Relocated relocated;
  /**
   * File names by their table slot (cutab index, or file number before Go 1.16), filled on first
   * use by any thread: a racy cache of immutable strings, so a slot is at worst decoded twice.
   */
  private final String[] fileSlots;
  private final Map<Long, String> fileNames = new HashMap<>(); // by offset, under its lock: names repeat a lot
  private Map<String, List<GoFunc>> byName;

  /**
   * The value of a pointer stored at a virtual address whose file bytes are zero: in a PIE the
   * linker may store it only as a dynamic relocation's addend. Returns 0 when there is none.
   */
  @FunctionalInterface
  public interface Relocated {
    long pointerAt(long vaddr) throws GoBinaryException;
  }

  private Pclntab(ByteCursor tab, long address, PclntabFormat format, Arch arch, long textStart,
      Relocated relocated) throws GoBinaryException {
    this.tab = tab;
    this.relocated = relocated;
    this.address = address;
    this.format = format;
    this.quantum = tab.u8At(6);
    this.ptrSize = tab.u8At(7);
    if (tab.u8At(4) != 0 || tab.u8At(5) != 0 || (quantum != 1 && quantum != 2 && quantum != 4)
        || ptrSize != arch.ptrSize()) {
      throw tab.corrupt(4, "bad header: pad " + tab.u8At(4) + "," + tab.u8At(5) + ", pc quantum "
          + quantum + ", pointer size " + ptrSize + " (expected " + arch.ptrSize() + " for " + arch.goArch() + ")");
    }
    long nfunc = word(0);
    long functabOff;
    if (format == PclntabFormat.GO12) {
      functabOff = 8 + ptrSize;
      this.funcnames = tab;
      this.cutab = tab;
      this.pctab = tab;
      this.funcdata = tab;
      this.textStart = 0;
      tab.count(nfunc, 2L * ptrSize, "function");
      long fileOff = tab.u32At(functabOff + (2 * nfunc + 1) * ptrSize);
      this.filetab = tab.slice(fileOff, tab.size() - Math.min(fileOff, tab.size()), tab.region());
      this.nfiles = (int) Math.min(filetab.u32At(0), filetab.size() / 4);
    } else {
      int at = format.entriesAreTextOffsets() ? 3 : 2; // word index of funcnametab offset
      this.nfiles = tab.count(word(1), 4, "file");
      this.textStart = format.entriesAreTextOffsets() ? textStart : 0;
      this.funcnames = sub(word(at));
      this.cutab = sub(word(at + 1));
      this.filetab = sub(word(at + 2));
      this.pctab = sub(word(at + 3));
      functabOff = word(at + 4);
      this.funcdata = sub(functabOff);
      functabOff = 0; // functab starts the function data table
    }
    ByteCursor base = format == PclntabFormat.GO12 ? tab : funcdata;
    this.fileSlots = new String[format == PclntabFormat.GO12 ? Math.max(nfiles, 0) : cutab.size() / 4];
    this.funcs = readFunctions(base, functabOff, nfunc);
    this.entries = new long[funcs.size()];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = funcs.get(i).entry();
    }
  }

  /**
   * Decodes the pclntab in {@code tab}, loaded at {@code address}.
   *
   * @param textStart for Go 1.18+, runtime.text, proven by the caller (the header's word is zero
   *     from Go 1.26 and unrelocated in a PIE); ignored for older formats
   * @param relocated where to find pointers the file holds as zeros (PIE relocations)
   */
  public static Pclntab parse(ByteCursor tab, long address, Arch arch, long textStart,
      Relocated relocated) throws GoBinaryException {
    long magic = tab.u32At(0);
    PclntabFormat format = PclntabFormat.fromMagic(magic).orElseThrow(() -> new UnsupportedGoException(
        tab.file(), SupportedGo.unknownMagic(magic)));
    return new Pclntab(tab, address, format, arch, textStart, relocated);
  }

  private long word(int i) throws CorruptBinaryException {
    return tab.wordAt(8 + (long) i * ptrSize, ptrSize);
  }

  private ByteCursor sub(long off) throws CorruptBinaryException {
    if (off < 0 || off > tab.size()) {
      throw tab.corrupt(8, "sub-table offset 0x" + Long.toHexString(off) + " is outside the table");
    }
    return tab.slice(off, tab.size() - off, tab.region());
  }

  /** Reads the function table on all cores: each function's record is read on its own. */
  private List<GoFunc> readFunctions(ByteCursor base, long functabOff, long nfunc)
      throws GoBinaryException {
    int fs = format.entrySize(ptrSize);
    if (nfunc == 0) {
      throw tab.corrupt(8, "the function table is empty");
    }
    int n = base.count(nfunc, 2L * fs, "function");
    base.check(functabOff, (2L * n + 1) * fs);
    GoFunc[] out = new GoFunc[n];
    int[] next = {0};
    Ordered.map(new Indexes(n), i -> readFunction(base, functabOff, fs, i), f -> out[next[0]++] = f,
        GoBinaryException.class);
    return Collections.unmodifiableList(Arrays.asList(out));
  }

  /** 0 .. n-1 without a boxed list behind them. */
  private static final class Indexes extends AbstractList<Integer> implements RandomAccess {
    private final int n;

    Indexes(int n) {
      this.n = n;
    }

    @Override
    public Integer get(int i) {
      return i;
    }

    @Override
    public int size() {
      return n;
    }
  }

  /** Function {@code i} of the function table at {@code functabOff} of {@code base}. */
  private GoFunc readFunction(ByteCursor base, long functabOff, int fs, int i) throws GoBinaryException {
    int hdr = format.funcHeaderSize(ptrSize);
    int idAt = format.funcIdOffset(ptrSize);
    long at = functabOff + 2L * i * fs;
    long entryField = base.wordAt(at, fs);
    long entry = textStart + entryField;
    long end = textStart + base.wordAt(at + 2L * fs, fs);
    long fo = base.wordAt(at + fs, fs);
    long prev = i > 0 ? textStart + base.wordAt(at - 2L * fs, fs) : Long.MIN_VALUE;
    if (i > 0 && Long.compareUnsigned(entry, prev) < 0 || Long.compareUnsigned(end, entry) < 0) {
      throw base.corrupt(at, "function table is not sorted at index " + i);
    }
    base.check(fo, hdr);
    if (base.wordAt(fo, fs) != entryField) {
      throw base.corrupt(fo, "function " + i + " records entry 0x" + Long.toHexString(base.wordAt(fo, fs))
          + ", the function table says 0x" + Long.toHexString(entryField));
    }
    int npcdata = (int) base.u32At(fo + fs + 24);
    int nfuncdata = base.u8At(fo + idAt + 3);
    base.check(fo + hdr, 4L * npcdata);
    long cu = format.splitTables() ? base.u32At(fo + fs + 28) : 0;
    int startLine = format == PclntabFormat.GO120 ? base.i32At(fo + fs + 32) : 0;
    long pcfile = base.u32At(fo + fs + 16);
    long pcln = base.u32At(fo + fs + 20);
    String file = pcfile == 0 ? "" : fileName(cu, PcValueTable.valueAt(pctab, pcfile, entry, end, quantum, entry));
    int line = pcln == 0 ? 0 : Math.max(0, PcValueTable.valueAt(pctab, pcln, entry, end, quantum, entry));
    return new GoFunc(funcnames.cstringAt(base.i32At(fo + fs)), entry, end, base.u8At(fo + idAt),
        base.u8At(fo + idAt + 1), file, line, base.i32At(fo + fs + 4), base.u32At(fo + fs + 8), startLine,
        base.u32At(fo + fs + 12), pcfile, pcln, npcdata, nfuncdata, cu, fo);
  }

  /** The file name for pcfile value {@code index} of a function in compilation unit {@code cu}. Thread-safe. */
  public String fileName(long cu, int index) throws CorruptBinaryException {
    if (index < 0) {
      return "";
    }
    if (format == PclntabFormat.GO12) {
      // filetab[0] is the count; file i's name is at the offset filetab[i] of the table.
      if (index == 0 || index >= nfiles) {
        return "";
      }
      String cached = index < fileSlots.length ? fileSlots[index] : null;
      if (cached != null) {
        return cached;
      }
      String name = named(tab, filetab.u32At(4L * index));
      if (index < fileSlots.length) {
        fileSlots[index] = name;
      }
      return name;
    }
    long slot = cu + index;
    String cached = slot >= 0 && slot < fileSlots.length ? fileSlots[(int) slot] : null;
    if (cached != null) {
      return cached;
    }
    long off = cutab.u32At(4 * slot);
    if (off == 0xffffffffL) {
      return "";
    }
    String name = named(filetab, off);
    fileSlots[(int) slot] = name; // the read above proved slot inside cutab
    return name;
  }

  /** The string at {@code off} of {@code table}, one instance per offset. */
  private String named(ByteCursor table, long off) throws CorruptBinaryException {
    synchronized (fileNames) {
      String name = fileNames.get(off);
      if (name == null) {
        name = table.cstringAt(off);
        fileNames.put(off, name);
      }
      return name;
    }
  }

  // ---- accessors

  public PclntabFormat format() {
    return format;
  }

  /** Instruction size unit of pc deltas: 1 on x86, 4 on arm64. */
  public int quantum() {
    return quantum;
  }

  public int ptrSize() {
    return ptrSize;
  }

  /** Virtual address of the table's first byte. */
  public long address() {
    return address;
  }

  /**
   * runtime.text (Go 1.18+), as proven when the table was loaded, which is not {@code .text}'s
   * start when C code is linked first; for older formats the first function's entry.
   */
  public long textStart() {
    if (format.entriesAreTextOffsets()) {
      return textStart;
    }
    return funcs.isEmpty() ? 0 : funcs.get(0).entry();
  }

  /** Number of files the header declares. */
  public int fileCount() {
    return nfiles;
  }

  /** Every function, sorted by entry. */
  public List<GoFunc> functions() {
    return funcs;
  }

  /** The function whose {@code [entry, end)} contains {@code pc}. */
  public Optional<GoFunc> funcForPc(long pc) {
    int lo = 0;
    int hi = entries.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(entries[mid], pc) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || !funcs.get(found).contains(pc)) {
      return Optional.empty();
    }
    return Optional.of(funcs.get(found));
  }

  /** A function by its full name (the first when a name repeats). */
  public Optional<GoFunc> lookup(String name) {
    List<GoFunc> all = lookupAll(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Every function with this full name, by entry. A name repeats for assembly functions that
   * also have an ABI wrapper (e.g. runtime.reflectcall, Go 1.17+).
   */
  public synchronized List<GoFunc> lookupAll(String name) {
    if (byName == null) {
      Map<String, List<GoFunc>> m = new HashMap<>();
      for (GoFunc f : funcs) {
        m.computeIfAbsent(f.name(), k -> new ArrayList<>(1)).add(f);
      }
      m.replaceAll((k, v) -> List.copyOf(v));
      byName = m;
    }
    return byName.getOrDefault(name, List.of());
  }

  /** The source position of the instruction at {@code pc} (innermost, when inlined). */
  public Optional<SourcePos> sourcePos(long pc) throws CorruptBinaryException {
    Optional<GoFunc> f = funcForPc(pc);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    return sourcePos(f.get(), pc);
  }

  Optional<SourcePos> sourcePos(GoFunc f, long pc) throws CorruptBinaryException {
    if (f.pcfile() == 0 || f.pcln() == 0) {
      return Optional.empty();
    }
    int fileNo = PcValueTable.valueAt(pctab, f.pcfile(), f.entry(), f.end(), quantum, pc);
    int line = PcValueTable.valueAt(pctab, f.pcln(), f.entry(), f.end(), quantum, pc);
    String file = fileName(f.cuOffset(), fileNo);
    if (file.isEmpty() || line < 0) {
      return Optional.empty();
    }
    return Optional.of(new SourcePos(file, line));
  }

  /**
   * The value at {@code pc} of the pc-value table at {@code off} of {@code f} (its file or line
   * table), -1 when the table is absent or does not cover {@code pc}.
   */
  int valueAt(long off, GoFunc f, long pc) throws CorruptBinaryException {
    return off == 0 ? -1 : PcValueTable.valueAt(pctab, off, f.entry(), f.end(), quantum, pc);
  }

  /** The runs of the line table of {@code f}. */
  public List<PcRun> lineTable(GoFunc f) throws CorruptBinaryException {
    return f.pcln() == 0 ? List.of() : PcValueTable.decode(pctab, f.pcln(), f.entry(), f.end(), quantum);
  }

  /** The runs of the file table of {@code f} (values are file numbers, see {@link #fileName}). */
  public List<PcRun> fileTable(GoFunc f) throws CorruptBinaryException {
    return f.pcfile() == 0 ? List.of() : PcValueTable.decode(pctab, f.pcfile(), f.entry(), f.end(), quantum);
  }

  /** The runs of the SP-delta table of {@code f} (bytes below the entry SP). */
  public List<PcRun> spDeltaTable(GoFunc f) throws CorruptBinaryException {
    return f.pcsp() == 0 ? List.of() : PcValueTable.decode(pctab, f.pcsp(), f.entry(), f.end(), quantum);
  }

  /** The runs of pcdata table {@code index} of {@code f}; empty when absent. */
  public List<PcRun> pcdata(GoFunc f, int index) throws CorruptBinaryException {
    long off = pcdataOffset(f, index);
    return off == 0 ? List.of() : PcValueTable.decode(pctab, off, f.entry(), f.end(), quantum);
  }

  private long pcdataOffset(GoFunc f, int index) throws CorruptBinaryException {
    if (index < 0 || index >= f.npcdata()) {
      return 0;
    }
    ByteCursor base = format == PclntabFormat.GO12 ? tab : funcdata;
    return base.u32At(f.funcOffset() + format.funcHeaderSize(ptrSize) + 4L * index);
  }

  /**
   * The address of funcdata {@code index} of {@code f}: a pointer before Go 1.18, an offset from
   * {@code gofunc} (moduledata.gofunc) from Go 1.18 (runtime/symtab.go {@code funcdata}).
   */
  public OptionalLong funcdataAddress(GoFunc f, int index, OptionalLong gofunc) throws GoBinaryException {
    if (index < 0 || index >= f.nfuncdata()) {
      return OptionalLong.empty();
    }
    ByteCursor base = format == PclntabFormat.GO12 ? tab : funcdata;
    long p = f.funcOffset() + format.funcHeaderSize(ptrSize) + 4L * f.npcdata();
    if (format.funcdataAreGofuncOffsets()) {
      long off = base.u32At(p + 4L * index);
      if (off == 0xffffffffL || gofunc.isEmpty()) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(gofunc.getAsLong() + off);
    }
    // The pointer array is pointer-aligned in memory.
    long delta = address + base.base() - tab.base(); // virtual address of base's byte 0
    if (ptrSize == 8 && ((delta + p) & 4) != 0) {
      p += 4;
    }
    long at = p + (long) index * ptrSize;
    long v = base.wordAt(at, ptrSize);
    if (v == 0) {
      v = relocated.pointerAt(delta + at);
    }
    return v == 0 ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** The header words, as {@link PcHeader} reads them. */
  public PcHeader header() throws GoBinaryException {
    return PcHeader.read(tab, address, relocated);
  }

  /** Offset of the function name table from the table start (Go 1.16+). */
  long funcnameOffset() {
    return funcnames.base() - tab.base();
  }

  /** A corruption error at {@code off} of the table. */
  CorruptBinaryException corrupt(long off, String what) {
    return tab.corrupt(off, what);
  }

  /** A function name at {@code off} of the name table (Go 1.16+), or of the table (Go 1.2–1.15). */
  String nameAt(long off) throws CorruptBinaryException {
    return funcnames.cstringAt(off);
  }
}
