package dev.gotrace.goelf.moduledata;

import dev.gotrace.goelf.pclntab.PclntabFormat;
import dev.gotrace.goelf.version.GoVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the words gotrace reads sit in {@code runtime.moduledata}, per Go release: word indices
 * (a slice is three words, a pointer or uintptr one). Read from {@code runtime/symtab.go} of Go
 * 1.15, 1.19, 1.22, 1.24, 1.25, 1.26 and 1.27; a golden test compares every word with the
 * symbols of unstripped builds of each.
 *
 * <ul>
 *   <li>1.12–1.15: pclntable, ftab, filetab (slices), findfunctab, minpc, maxpc, text, etext,
 *       noptrdata…enoptrbss (8 words), end, gcdata, gcbss, types, etypes.
 *   <li>1.16–1.17: pcHeader, then six slices (funcnametab, cutab, filetab, pctab, pclntable,
 *       ftab), findfunctab, minpc, maxpc, text…enoptrbss, end, gcdata, gcbss, types, etypes.
 *   <li>1.18–1.19: rodata and gofunc follow etypes.
 *   <li>1.20–1.26: covctrs, ecovctrs inserted before end (1.26 adds epclntab after gofunc).
 *   <li>1.27: types, typedesclen, etypes; then itaboffset, itabsize, rodata, gofunc.
 * </ul>
 */
public enum ModuleLayout {
  GO112(12, 15, PclntabFormat.GO12, 3, 10, 11, 12, 13, 25, 26, -1),
  GO116(16, 17, PclntabFormat.GO116, 16, 20, 21, 22, 23, 35, 36, -1),
  GO118(18, 19, PclntabFormat.GO118, 16, 20, 21, 22, 23, 35, 36, 38),
  GO120(20, 26, PclntabFormat.GO120, 16, 20, 21, 22, 23, 37, 38, 40),
  GO127(27, 27, PclntabFormat.GO120, 16, 20, 21, 22, 23, 37, 39, 43);

  /** The newest Go minor whose layout gotrace has read from its sources. */
  public static final int NEWEST_MINOR = 27;

  private final int fromMinor;
  private final int toMinor;
  private final PclntabFormat format;
  final int ftab;
  final int minpc;
  final int maxpc;
  final int text;
  final int etext;
  final int types;
  final int etypes;
  final int gofunc;

  ModuleLayout(int fromMinor, int toMinor, PclntabFormat format, int ftab, int minpc, int maxpc, int text,
      int etext, int types, int etypes, int gofunc) {
    this.fromMinor = fromMinor;
    this.toMinor = toMinor;
    this.format = format;
    this.ftab = ftab;
    this.minpc = minpc;
    this.maxpc = maxpc;
    this.text = text;
    this.etext = etext;
    this.types = types;
    this.etypes = etypes;
    this.gofunc = gofunc;
  }

  /** Number of words to read to see every field this layout names. */
  int words() {
    return Math.max(Math.max(gofunc, etypes), ftab + 2) + 1;
  }

  /** Whether moduledata has a gofunc word (the base of funcdata offsets, Go 1.18+). */
  public boolean hasGofunc() {
    return gofunc >= 0;
  }

  /**
   * The layouts to try for a binary of {@code version} whose pclntab is {@code format}: the one
   * of that release when gotrace has read it; for a newer or unknown release every layout of the
   * same pclntab format, newest first (each must then be proven, and all that pass must agree).
   * Empty when the version names a release whose layout does not go with the format.
   */
  public static List<ModuleLayout> candidates(PclntabFormat format, GoVersion version) {
    List<ModuleLayout> out = new ArrayList<>();
    if (isRelease(version) && version.minor() <= NEWEST_MINOR) {
      for (ModuleLayout l : values()) {
        if (l.format == format && version.minor() >= l.fromMinor && version.minor() <= l.toMinor) {
          out.add(l);
        }
      }
      return out;
    }
    ModuleLayout[] all = values();
    for (int i = all.length - 1; i >= 0; i--) {
      if (all[i].format == format) {
        out.add(all[i]);
      }
    }
    return out;
  }

  /** Whether gotrace read this layout from the sources of {@code version}'s release. */
  public boolean isReleaseOf(GoVersion version) {
    return isRelease(version) && version.minor() >= fromMinor && version.minor() <= toMinor;
  }

  /** A version that names one Go 1 release (its patch may be unknown, e.g. a release candidate). */
  static boolean isRelease(GoVersion version) {
    return version.major() == 1 && version.minorKnown() && version.upToMinor() == version.minor();
  }

  @Override
  public String toString() {
    return "go1." + fromMinor + (toMinor == fromMinor ? "" : "–1." + toMinor) + " layout";
  }
}
