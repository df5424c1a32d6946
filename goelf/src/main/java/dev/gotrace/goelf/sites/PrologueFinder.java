package dev.gotrace.goelf.sites;

import dev.gotrace.goelf.code.Flow;

/**
 * Finds the end of Go's stack-check prologue by its defining property: a conditional branch near
 * the entry whose target block calls {@code runtime.morestack*} and then jumps back to the entry.
 * Every form the Go assemblers emit has this shape (amd64 {@code CMPQ SP, 16(R14); JLS} and its
 * LEAQ/SUBQ large-frame forms, the TLS forms of the stack ABI, 386 {@code CMPL SP, 8(CX)},
 * arm64 {@code CMP R16, RSP; BLS} and {@code SUBS}/{@code BLO} huge-frame forms). The probe goes
 * after the last such branch, so a call that grows the stack is observed once.
 */
final class PrologueFinder {
  /** The longest prologue seen (old amd64 huge frames: 8 instructions), with margin. */
  static final int MAX_PROLOGUE = 12;
  /** Spills/fills around the morestack call (register ABI: up to 9 int + alignment). */
  private static final int MAX_BLOCK = 40;

  private PrologueFinder() {}

  /** Index of the last prologue branch, or -1 when the function has no stack check. */
  static int lastCheckBranch(FunctionCode fn, Listing listing) {
    int found = -1;
    int n = Math.min(listing.size(), MAX_PROLOGUE);
    for (int i = 0; i < n; i++) {
      Flow flow = listing.flow(i);
      if (flow == Flow.CONDITIONAL && restartsViaCall(fn, listing, listing.target(i))) {
        found = i;
      } else if (flow != Flow.NEXT && flow != Flow.CONDITIONAL) {
        break; // the prologue is straight-line code
      }
    }
    return found;
  }

  /** Whether the block at {@code target} is: straight-line, a direct CALL, straight-line, JMP entry. */
  private static boolean restartsViaCall(FunctionCode fn, Listing listing, long target) {
    int i = listing.indexOf(target);
    if (i <= 0) {
      return false;
    }
    boolean called = false;
    for (int k = 0; k < MAX_BLOCK && i + k < listing.size(); k++) {
      switch (listing.flow(i + k)) {
        case NEXT -> { }
        case CALL -> {
          if (called) {
            return false;
          }
          called = true;
        }
        case JUMP -> {
          return called && listing.target(i + k) == fn.entry();
        }
        default -> {
          return false;
        }
      }
    }
    return false;
  }
}
