package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.io.ByteCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One abbreviation declaration of {@code .debug_abbrev} (DWARF 5 section 7.5.3): the tag, whether
 * the DIE has children, and its attribute specifications. {@code consts[i]} holds the value of a
 * DW_FORM_implicit_const attribute.
 */
record Abbrev(long code, int tag, boolean children, int[] attrs, int[] forms, long[] consts) {
  /** Most attributes one abbreviation may declare; Go uses fewer than 20. */
  static final int MAX_ATTRS = 512;

  /** A table of abbreviations starting at one offset, indexed by code. */
  static final class Table {
    private final Abbrev[] dense; // codes 1..dense.length-1
    private final Map<Long, Abbrev> sparse;
    /** The most attributes any abbreviation of this table declares. */
    final int maxAttrs;

    private Table(Abbrev[] dense, Map<Long, Abbrev> sparse, int maxAttrs) {
      this.dense = dense;
      this.sparse = sparse;
      this.maxAttrs = maxAttrs;
    }

    Abbrev get(long code) {
      if (code > 0 && code < dense.length) {
        return dense[(int) code];
      }
      return sparse.get(code);
    }

    static Table read(ByteCursor section, long offset) throws CorruptBinaryException {
      ByteCursor c = section.duplicate().seek(offset);
      List<Abbrev> all = new ArrayList<>();
      Map<Long, Abbrev> sparse = new HashMap<>();
      long maxDense = 0;
      while (true) {
        int at = c.position();
        long code = c.uleb128();
        if (code == 0) {
          break;
        }
        long tag = c.uleb128();
        if (tag <= 0 || tag > 0xffff) {
          throw c.corrupt(at, "abbreviation " + code + " has invalid tag 0x" + Long.toHexString(tag));
        }
        int hasChildren = c.u8();
        if (hasChildren > 1) {
          throw c.corrupt(at, "abbreviation " + code + " has invalid children flag " + hasChildren);
        }
        List<long[]> specs = new ArrayList<>();
        while (true) {
          long attr = c.uleb128();
          long form = c.uleb128();
          if (attr == 0 && form == 0) {
            break;
          }
          long k = form == Dw.FORM_IMPLICIT_CONST ? c.sleb128() : 0;
          if (attr <= 0 || attr > 0xffff || form <= 0 || form > 0xffff) {
            throw c.corrupt(at, "abbreviation " + code + " has invalid attribute/form " + attr + "/" + form);
          }
          if (specs.size() >= MAX_ATTRS) {
            throw c.corrupt(at, "abbreviation " + code + " declares more than " + MAX_ATTRS + " attributes");
          }
          specs.add(new long[] {attr, form, k});
        }
        int n = specs.size();
        int[] attrs = new int[n];
        int[] forms = new int[n];
        long[] consts = new long[n];
        for (int i = 0; i < n; i++) {
          attrs[i] = (int) specs.get(i)[0];
          forms[i] = (int) specs.get(i)[1];
          consts[i] = specs.get(i)[2];
        }
        Abbrev a = new Abbrev(code, (int) tag, hasChildren == 1, attrs, forms, consts);
        if (sparse.putIfAbsent(code, a) != null) {
          throw c.corrupt(at, "duplicate abbreviation code " + code);
        }
        all.add(a);
        if (code < 4096) {
          maxDense = Math.max(maxDense, code);
        }
      }
      Abbrev[] dense = new Abbrev[(int) maxDense + 1];
      int maxAttrs = 0;
      for (Abbrev a : all) {
        if (a.code() <= maxDense) {
          dense[(int) a.code()] = a;
        }
        maxAttrs = Math.max(maxAttrs, a.attrs().length);
      }
      return new Table(dense, sparse, maxAttrs);
    }
  }
}
