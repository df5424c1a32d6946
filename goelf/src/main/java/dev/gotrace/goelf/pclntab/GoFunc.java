package dev.gotrace.goelf.pclntab;

/**
 * One function of the pclntab function table ({@code _func} in runtime/runtime2.go).
 *
 * @param name full Go name, e.g. {@code main.(*T).M}, {@code main.main.func1}
 * @param entry address of the first instruction (link-time virtual address)
 * @param end address past the last byte: the next function's entry, or the table's end
 * @param funcID runtime's funcID (identifies special runtime functions; 0 = normal)
 * @param flags funcFlag (Go 1.17+: TOPFRAME = 1, SPWRITE = 2, ASM = 4 from Go 1.21), else 0
 * @param file source file of the entry, "" when unknown
 * @param line source line of the entry instruction, 0 when unknown (what
 *     {@code runtime.FuncForPC(entry).FileLine(entry)} reports; a function without a stack check
 *     starts on its first statement's line, see {@link #declLine()})
 * @param argsSize size of the arguments and results area in bytes
 * @param deferreturn offset from entry of the deferreturn call, 0 if none (Go 1.14+; the slot
 *     held the unused legacy frame size before)
 * @param startLine line of the {@code func} keyword (Go 1.20+), else 0
 * @param pcsp offset of the SP-delta pc-value table, 0 if none
 * @param pcfile offset of the file pc-value table
 * @param pcln offset of the line pc-value table
 * @param npcdata number of pcdata tables
 * @param nfuncdata number of funcdata entries
 * @param cuOffset index of its compilation unit's first file in the CU table (Go 1.16+)
 * @param funcOffset offset of its {@code _func} within the function data table
 */
public record GoFunc(
    String name, long entry, long end, int funcID, int flags, String file, int line,
    int argsSize, long deferreturn, int startLine, long pcsp, long pcfile, long pcln,
    int npcdata, int nfuncdata, long cuOffset, long funcOffset) {

  /** Whether {@code pc} is in {@code [entry, end)}. */
  public boolean contains(long pc) {
    return Long.compareUnsigned(pc, entry) >= 0 && Long.compareUnsigned(pc, end) < 0;
  }

  /**
   * The line of the {@code func} keyword when the binary records it (Go 1.20+), else the line of
   * the entry instruction, which is the same for functions that start with a stack check.
   */
  public int declLine() {
    return startLine > 0 ? startLine : line;
  }

  public long size() {
    return end - entry;
  }
}
