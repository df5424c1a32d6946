package dev.gotrace.core.latency;

/**
 * One completed call, streamed by the exit probe.
 *
 * @param timeNs when it returned, ns since the epoch
 * @param pid the process
 * @param goid the goroutine id
 * @param function the function's Go name
 * @param latencyNs from the entry probe to the exit probe
 * @param exitSite the exit instruction it left through (link-time address; 0 when unknown)
 */
public record CompletedCall(long timeNs, int pid, long goid, String function, long latencyNs, long exitSite) {}
