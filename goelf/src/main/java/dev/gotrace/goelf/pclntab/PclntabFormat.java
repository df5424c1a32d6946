package dev.gotrace.goelf.pclntab;

import java.util.Optional;

/**
 * The pclntab layouts, one per header magic, with the facts that differ between them. Sources:
 * {@code debug/gosym/pclntab.go} (magics and header words), {@code runtime/symtab.go} and
 * {@code runtime/runtime2.go} ({@code _func}, {@code funcdata}, {@code inlinedCall}) of Go 1.15,
 * 1.19, 1.22 and 1.24, {@code internal/abi/symtab.go} (FUNCDATA/PCDATA indices, Go 1.21+).
 */
public enum PclntabFormat {
  /** Go 1.2 to 1.15: one table; names, files and pc-value tables are offsets into it. */
  GO12(0xfffffffbL, 2, 15),
  /** Go 1.16 and 1.17: separate name, CU, file and pc-value tables. */
  GO116(0xfffffffaL, 16, 17),
  /** Go 1.18 and 1.19: entries are 32-bit offsets from the text start recorded in the header. */
  GO118(0xfffffff0L, 18, 19),
  /** Go 1.20 and later: {@code _func} gains startLine; new inline tree entries. */
  GO120(0xfffffff1L, 20, Integer.MAX_VALUE);

  private final long magic;
  private final int fromMinor;
  private final int upToMinor;

  PclntabFormat(long magic, int fromMinor, int upToMinor) {
    this.magic = magic;
    this.fromMinor = fromMinor;
    this.upToMinor = upToMinor;
  }

  public static Optional<PclntabFormat> fromMagic(long magic) {
    for (PclntabFormat f : values()) {
      if (f.magic == magic) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public long magic() {
    return magic;
  }

  /** Oldest Go minor version writing this format. */
  public int fromMinor() {
    return fromMinor;
  }

  /** Newest Go minor version writing this format ({@link Integer#MAX_VALUE}: still current). */
  public int upToMinor() {
    return upToMinor;
  }

  /** Whether the header records runtime.text (Go 1.18+) and entries are offsets from it. */
  public boolean entriesAreTextOffsets() {
    return this == GO118 || this == GO120;
  }

  /** Whether names, files and pc-value tables live in separate sub-tables (Go 1.16+). */
  public boolean splitTables() {
    return this != GO12;
  }

  /** Size of the entry field of {@code _func} and of functab fields. */
  int entrySize(int ptrSize) {
    return entriesAreTextOffsets() ? 4 : ptrSize;
  }

  /**
   * Offset of {@code funcID} in {@code _func}; the flag byte follows it (Go 1.17+, zero padding
   * before), and {@code nfuncdata} is the last byte of the fixed part.
   */
  int funcIdOffset(int ptrSize) {
    int w = entrySize(ptrSize);
    return switch (this) {
      case GO12 -> w + 28; // after npcdata
      case GO116, GO118 -> w + 32; // after cuOffset
      case GO120 -> w + 36; // after cuOffset, startLine
    };
  }

  /** Size of the fixed part of {@code _func}. */
  int funcHeaderSize(int ptrSize) {
    return funcIdOffset(ptrSize) + 4;
  }

  /**
   * FUNCDATA_InlTree: 4 while FUNCDATA_RegPointerMaps = 2 existed (runtime/symtab.go, Go 1.15),
   * 3 after its removal (Go 1.19 runtime/symtab.go, internal/abi/symtab.go).
   */
  public int funcdataInlTree() {
    return this == GO12 ? 4 : 3;
  }

  /** PCDATA_InlTreeIndex, 2 in every version. */
  public int pcdataInlTreeIndex() {
    return 2;
  }

  /** Whether funcdata entries are 32-bit offsets from moduledata.gofunc (Go 1.18+) rather than pointers. */
  public boolean funcdataAreGofuncOffsets() {
    return entriesAreTextOffsets();
  }

  /** Size of one inline tree entry: 20 bytes to Go 1.19, 16 from Go 1.20. */
  int inlinedCallSize() {
    return this == GO120 ? 16 : 20;
  }

  @Override
  public String toString() {
    return "pclntab 0x" + Long.toHexString(magic) + " (Go 1." + fromMinor
        + (upToMinor == Integer.MAX_VALUE ? "+" : "–1." + upToMinor) + ")";
  }
}
