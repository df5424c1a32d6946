package dev.gotrace.goelf.sites;

/**
 * An instruction through which control leaves the function: a uprobe here observes a return.
 *
 * @param address the instruction's address (an instruction boundary)
 * @param kind why it is an exit
 */
public record ExitSite(long address, Kind kind) {
  /** Why an instruction is an exit. */
  public enum Kind {
    /** A return instruction. */
    RET,
    /** A direct jump to an address outside the function (wrappers, assembly tail calls). */
    TAILCALL,
    /** An indirect jump that is not a recognised intra-function jump table. */
    INDIRECT
  }
}
