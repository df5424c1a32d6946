package dev.gotrace.core.inspect;

import java.util.List;
import java.util.Optional;

/**
 * One function as {@code gotrace list} shows it.
 *
 * @param name full Go name
 * @param hasCode false for a function that exists only as inlined copies (the compiler inlined
 *     every call and the linker dropped its body); then entry, end and fileOffset are -1
 * @param entry virtual address of the first instruction
 * @param end virtual address past the last byte
 * @param fileOffset file offset of the entry (what a uprobe is placed at), -1 if not mapped
 * @param file source file of the entry, "" when unknown
 * @param line source line of the entry, 0 when unknown
 * @param inlinedCopies how many places the compiler inlined this function into
 * @param inlinedInto where: one line per copy, "caller at file:line"
 * @param sites the probe sites, when asked for
 */
public record FunctionInfo(
    String name, boolean hasCode, long entry, long end, long fileOffset, String file, int line,
    int inlinedCopies, List<String> inlinedInto, Optional<Sites> sites) {

  public FunctionInfo {
    inlinedInto = List.copyOf(inlinedInto);
  }

  /** A function with no code of its own, only inlined copies. */
  public static FunctionInfo inlinedOnly(String name, List<String> inlinedInto) {
    return new FunctionInfo(name, false, -1, -1, -1, "", 0, inlinedInto.size(), inlinedInto,
        Optional.empty());
  }

  /**
   * Where probes go.
   *
   * @param status OK, NO_EXIT (control never returns) or UNDECODABLE (no probe may be placed)
   * @param reason why not OK; empty when OK
   * @param probeEntry the first instruction after the stack-check prologue (the entry when the
   *     function has no stack check); -1 when undecodable
   * @param stackCheck whether a stack-check prologue was found
   * @param probeLine source position of the probe entry
   * @param exits every exit instruction
   */
  public record Sites(String status, String reason, long probeEntry, boolean stackCheck,
      Optional<String> probeLine, List<Exit> exits) {
    public Sites {
      exits = List.copyOf(exits);
    }
  }

  /**
   * An exit instruction.
   *
   * @param addr its virtual address
   * @param kind {@code ret}, {@code tailcall} or {@code indirect}
   * @param source file:line of the instruction, when known
   */
  public record Exit(long addr, String kind, Optional<String> source) {}
}
