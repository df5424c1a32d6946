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
    INDIRECT,
    /**
     * A conditional branch to an address outside the function (seen only in C code, e.g.
     * {@code x_cgo_munmap}). A uprobe here fires whether or not the branch is taken, so it is
     * not by itself evidence of a return; callers must decide (e.g. refuse latency tracing).
     */
    CONDITIONAL_TAILCALL
  }
}
