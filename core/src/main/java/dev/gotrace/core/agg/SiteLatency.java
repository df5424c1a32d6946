package dev.gotrace.core.agg;

import dev.gotrace.goelf.sites.ExitSite;

/**
 * Completed calls of one function that left through one exit instruction.
 *
 * @param function the function's Go name
 * @param functionEntry the function's probe entry address, its identity ({@link FunctionLatency#entry})
 * @param address the exit instruction (link-time address)
 * @param kind what the instruction is
 * @param count calls that left there
 * @param sumNs their summed latency
 */
public record SiteLatency(String function, long functionEntry, long address, ExitSite.Kind kind, long count, long sumNs) {
  /** Mean latency in ns, 0 when none. */
  public double mean() {
    return count == 0 ? 0 : (double) sumNs / count;
  }
}
