package dev.gotrace.core.agg;

/**
 * What the kernel aggregated for one function so far.
 *
 * @param function the function's Go name
 * @param entry the function's probe entry address: its identity, since two functions may share a name
 * @param histogram completed calls (entry matched to exit)
 * @param unmatchedExits exits whose entry was not seen (attached mid-call, or evicted from the
 *     in-flight table); not in the histogram
 * @param neverExited entries whose frame was found replaced by a later call at the same depth of
 *     the same goroutine: unwound by a panic, or the goroutine ended; not in the histogram
 * @param inFlight entries still waiting for their exit when the snapshot was taken
 */
public record FunctionLatency(String function, long entry, Log2Histogram histogram, long unmatchedExits, long neverExited,
    long inFlight) {}
