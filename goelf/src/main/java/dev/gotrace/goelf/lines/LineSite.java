package dev.gotrace.goelf.lines;

import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import java.util.Optional;

/**
 * One copy of a line's code and where it is probed.
 *
 * @param host the function whose machine code holds the copy
 * @param copy the inlined call the code belongs to (the innermost), empty for the host's own code
 * @param pc the statement boundary: the first instruction of the copy's first run of the line
 * @param spDelta how far SP is below its value at the host's entry at {@code pc} (pclntab pcsp)
 * @param fileOffset {@code pc} in the file, what the uprobe is attached at
 * @param file the source file as the binary records it
 * @param line the line
 * @param runs how many separate runs of instructions the copy has for the line (only the first is probed)
 */
public record LineSite(GoFunc host, Optional<InlinedCall> copy, long pc, long spDelta, long fileOffset,
    String file, int line, int runs) {
  /** The function the line is in: the inlined callee for a copy, else the host. */
  public String function() {
    return copy.map(InlinedCall::function).orElse(host.name());
  }
}
