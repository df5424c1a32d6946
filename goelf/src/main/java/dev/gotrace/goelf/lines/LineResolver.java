package dev.gotrace.goelf.lines;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.goelf.pclntab.PcRun;
import dev.gotrace.goelf.pclntab.Pclntab;
import dev.gotrace.goelf.sites.FunctionSites;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Resolves a source line to its probe sites through the pclntab. Every function whose file table
 * names a matching file is read: its file, line and inline-index tables merged into maximal runs
 * of one (file, line, inlined call). The runs of the line are grouped into copies, one per
 * (function, innermost inlined call): the function's own code, and each place the line's function
 * was inlined. Each copy is probed once, at its statement boundary: the first instruction of its
 * first run in address order that lies after the stack check, because the compiler gives a line
 * several runs for one execution (a loop header, the epilogue of an inlined body that carries the
 * line of its last statement), so a probe per run would fire more than once per execution.
 *
 * <p>With the register ABI (amd64, Go 1.17+) the compiler stores argument registers to their
 * spill slots right after the frame is set up, with the line of each argument's first use; those
 * stores are not the line's statement and are skipped: the run of instructions after the frame
 * setup (still on the declaration line) that only store to slots above the return address
 * ({@code MOV reg, n(SP)} with n ≥ SP delta + 8).
 */
public final class LineResolver {
  private final GoBinary bin;
  private final Pclntab tab;

  public LineResolver(GoBinary bin) {
    this.bin = bin;
    this.tab = bin.pclntab();
  }

  /** One maximal run of (file, line, innermost inlined call). */
  private record Run(long start, long end, String file, int line, int inline) {}

  /** Resolves {@code t}: the files its suffix names, and the copies of its line among them. */
  public LineResolution resolve(LineTarget.FileLine t) throws GoBinaryException {
    return resolve(t::names, t.line());
  }

  /** Resolves {@code line} of the files {@code file} accepts. */
  public LineResolution resolve(Predicate<String> file, int line) throws GoBinaryException {
    Map<String, Boolean> named = new HashMap<>();
    Map<String, TreeSet<Integer>> lines = new TreeMap<>();
    Map<GoFunc, Map<Integer, List<Run>>> copies = new LinkedHashMap<>();
    for (GoFunc f : tab.functions()) {
      if (f.pcfile() == 0 || f.pcln() == 0) {
        continue;
      }
      List<PcRun> files = tab.fileTable(f);
      boolean any = false;
      for (PcRun r : files) {
        String name = tab.fileName(f.cuOffset(), r.value());
        any |= !name.isEmpty() && named.computeIfAbsent(name, file::test);
      }
      if (!any) {
        continue;
      }
      for (Run r : runs(f, files)) {
        if (!named.getOrDefault(r.file(), false)) {
          continue;
        }
        lines.computeIfAbsent(r.file(), k -> new TreeSet<>()).add(r.line());
        if (r.line() == line) {
          copies.computeIfAbsent(f, k -> new TreeMap<>()).computeIfAbsent(r.inline(), k -> new ArrayList<>()).add(r);
        }
      }
    }
    List<String> matched = new ArrayList<>(lines.keySet());
    if (matched.size() != 1) {
      return new LineResolution(matched, List.of(), new TreeSet<>());
    }
    List<LineSite> sites = new ArrayList<>();
    for (Map.Entry<GoFunc, Map<Integer, List<Run>>> e : copies.entrySet()) {
      GoFunc f = e.getKey();
      FunctionSites fs = bin.tracedSites(f);
      if (fs.probeEntry().isEmpty()) {
        continue; // undecodable: no instruction boundary is proven
      }
      long after = fs.probeEntry().getAsLong();
      List<PcRun> sp = tab.spDeltaTable(f);
      long[] spill = spillBlock(f, fs, after, sp);
      for (Map.Entry<Integer, List<Run>> c : e.getValue().entrySet()) {
        Optional<Long> pc = boundary(c.getValue(), after, spill);
        if (pc.isEmpty() || !fs.isInstructionBoundary(pc.get()) || bin.fileOffset(pc.get()).isEmpty()) {
          continue;
        }
        Optional<InlinedCall> copy = Optional.empty();
        if (c.getKey() >= 0) {
          copy = bin.inlineTree(f).stream().filter(ic -> ic.index() == c.getKey()).findFirst();
          if (copy.isEmpty()) {
            continue; // an index the inline tree does not hold: the copy is not named
          }
        }
        long at = pc.get();
        sites.add(new LineSite(f, copy, at, Math.max(0, PcRun.valueAt(sp, at)), bin.fileOffset(at).getAsLong(),
            matched.get(0), line, c.getValue().size()));
      }
    }
    sites.sort(Comparator.comparingLong(LineSite::pc));
    return new LineResolution(matched, sites, lines.get(matched.get(0)));
  }

  /** The first instruction of the copy's first run after {@code after}, outside the spill block. */
  private static Optional<Long> boundary(List<Run> runs, long after, long[] spill) {
    for (Run r : runs) {
      long start = Math.max(r.start(), after);
      if (start >= r.end() || start >= spill[0] && r.end() <= spill[1]) {
        continue;
      }
      return Optional.of(start);
    }
    return Optional.empty();
  }

  /** The runs of {@code f}, its file, line and inline-index tables merged. */
  private List<Run> runs(GoFunc f, List<PcRun> files) throws GoBinaryException {
    List<PcRun> lines = tab.lineTable(f);
    List<PcRun> inl = tab.pcdata(f, tab.format().pcdataInlTreeIndex());
    TreeSet<Long> cuts = new TreeSet<>();
    for (List<PcRun> table : List.of(files, lines, inl)) {
      for (PcRun r : table) {
        cuts.add(r.start());
        cuts.add(r.end());
      }
    }
    List<Run> out = new ArrayList<>();
    Long start = cuts.isEmpty() ? null : cuts.first();
    for (Long end = start == null ? null : cuts.higher(start); end != null; start = end, end = cuts.higher(end)) {
      int fileNo = PcRun.valueAt(files, start);
      int line = PcRun.valueAt(lines, start);
      if (fileNo < 0 || line < 0) {
        continue;
      }
      int inline = PcRun.valueAt(inl, start);
      String name = tab.fileName(f.cuOffset(), fileNo);
      Run last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.end() == start && last.line() == line && last.inline() == inline
          && last.file().equals(name)) {
        out.set(out.size() - 1, new Run(last.start(), end, name, line, inline));
      } else {
        out.add(new Run(start, end, name, line, inline));
      }
    }
    return out;
  }

  /**
   * {start, end} of the register ABI's argument spill stores after {@code f}'s frame setup; an
   * empty range when there are none (the stack ABI, other architectures).
   */
  private long[] spillBlock(GoFunc f, FunctionSites fs, long after, List<PcRun> sp) throws GoBinaryException {
    long[] none = {0, 0};
    if (bin.arch() != Arch.AMD64 || !bin.arch().registerAbi(minor())) {
      return none;
    }
    List<PcRun> lines = tab.lineTable(f);
    int declLine = PcRun.valueAt(lines, after);
    long[] starts = fs.boundaries().starts().filter(a -> a >= after).toArray();
    int i = 0;
    while (i < starts.length && PcRun.valueAt(lines, starts[i]) == declLine) {
      i++;
    }
    int first = i;
    while (i + 1 < starts.length && isSpill(starts[i], (int) (starts[i + 1] - starts[i]), PcRun.valueAt(sp, starts[i]))) {
      i++;
    }
    return i == first ? none : new long[] {starts[first], starts[i]};
  }

  private int minor() {
    return bin.goVersion().atLeast(1, 17) ? 17 : 0;
  }

  /**
   * Whether the {@code len} bytes at {@code pc} are one store of a register to {@code disp(SP)}
   * above the return address: [66|F2|F3] [REX] (88|89|0F 11) ModRM(mod 01|10, rm 100) SIB(24) disp.
   */
  private boolean isSpill(long pc, int len, int spDelta) throws GoBinaryException {
    if (len < 4 || len > 15 || spDelta < 0) {
      return false;
    }
    byte[] b = bin.readAt(pc, len);
    int i = 0;
    int p = b[i] & 0xff;
    if (p == 0x66 || p == 0xf2 || p == 0xf3) {
      i++;
    }
    if (i < len && (b[i] & 0xf0) == 0x40) {
      i++;
    }
    if (i + 1 < len && (b[i] & 0xff) == 0x0f && (b[i + 1] & 0xff) == 0x11) {
      i += 2;
    } else if (i < len && ((b[i] & 0xff) == 0x88 || (b[i] & 0xff) == 0x89)) {
      i++;
    } else {
      return false;
    }
    if (i + 2 >= len) {
      return false;
    }
    int modrm = b[i] & 0xff;
    int mod = modrm >> 6;
    if ((mod != 1 && mod != 2) || (modrm & 7) != 4 || (b[i + 1] & 0xff) != 0x24) {
      return false;
    }
    i += 2;
    long disp;
    if (mod == 1) {
      if (i + 1 != len) {
        return false;
      }
      disp = b[i];
    } else {
      if (i + 4 != len) {
        return false;
      }
      disp = (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (long) b[i + 3] << 24;
    }
    return disp >= spDelta + 8L;
  }
}
