package dev.gotrace.goelf.pclntab;

import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.SupportedGo;
import dev.gotrace.goelf.UnsupportedGoException;
import dev.gotrace.goelf.io.ByteCursor;

/**
 * The pclntab header words and the two function-table words that bound the functions, read
 * before the table is decoded: what {@code runtime.firstmoduledata} is proven against
 * ({@code runtime/symtab.go} {@code pcHeader}; the function table's first entry and its end
 * sentinel, per {@code cmd/link/internal/ld/pcln.go}).
 *
 * @param format the layout, from the magic
 * @param address virtual address of the header (moduledata.pcHeader points here)
 * @param ptrSize pointer size recorded in the header
 * @param nfunc number of functions
 * @param recordedText the header's textStart word (Go 1.18–1.25), relocated in a PIE; 0 when
 *     the header records none (Go 1.26+ leave it zero) or the format has no such word
 * @param functab virtual address of the function table (moduledata.ftab points here)
 * @param firstEntry the first function's entry field: an offset from runtime.text (Go 1.18+) or
 *     an address
 * @param endEntry the end sentinel after the last function, in the same unit
 */
public record PcHeader(PclntabFormat format, long address, int ptrSize, long nfunc, long recordedText,
    long functab, long firstEntry, long endEntry) {

  /** Reads the header of the table in {@code tab}, loaded at {@code address}. */
  public static PcHeader read(ByteCursor tab, long address, Pclntab.Relocated relocated) throws GoBinaryException {
    long magic = tab.u32At(0);
    PclntabFormat format = PclntabFormat.fromMagic(magic).orElseThrow(() -> new UnsupportedGoException(
        tab.file(), SupportedGo.unknownMagic(magic)));
    int ptr = tab.u8At(7);
    if (ptr != 4 && ptr != 8) {
      throw tab.corrupt(7, "bad header: pointer size " + ptr);
    }
    long nfunc = tab.wordAt(8, ptr);
    int fs = format.entrySize(ptr);
    long functabOff;
    long text = 0;
    if (format == PclntabFormat.GO12) {
      functabOff = 8 + ptr;
    } else {
      int at = format.entriesAreTextOffsets() ? 3 : 2;
      functabOff = tab.wordAt(8 + (long) (at + 4) * ptr, ptr);
      if (format.entriesAreTextOffsets()) {
        text = tab.wordAt(8 + 2L * ptr, ptr);
        if (text == 0) {
          text = relocated.pointerAt(address + 8 + 2L * ptr);
        }
      }
    }
    if (nfunc <= 0 || nfunc > tab.size() / (2L * fs)) {
      throw tab.corrupt(8, "bad header: " + nfunc + " functions");
    }
    long endAt = functabOff + 2L * nfunc * fs;
    if (functabOff < 0 || !tab.contains(endAt, fs)) {
      throw tab.corrupt(8, "the function table at 0x" + Long.toHexString(functabOff) + " is outside the table");
    }
    // The last function's record must repeat its entry, as every record does: a header whose
    // count does not fit the table is caught here, before anything is proven against it.
    long last = functabOff + 2L * (nfunc - 1) * fs;
    long funcOff = (format == PclntabFormat.GO12 ? 0 : functabOff) + tab.wordAt(last + fs, fs);
    if (!tab.contains(funcOff, fs) || tab.wordAt(funcOff, fs) != tab.wordAt(last, fs)) {
      throw tab.corrupt(last, "the record of function " + (nfunc - 1) + " does not repeat its entry: the header's"
          + " count of " + nfunc + " functions does not fit the function table");
    }
    return new PcHeader(format, address, ptr, nfunc, text, address + functabOff,
        tab.wordAt(functabOff, fs), tab.wordAt(endAt, fs));
  }
}
