package dev.gotrace.core.plan;

/**
 * One entry probe.
 *
 * @param cookie the value the program reads back with {@code bpf_get_attach_cookie}: the index
 *     of this site in {@link ProbePlan#sites()}
 * @param function the function's full Go name
 * @param entry the function's entry (link-time virtual address)
 * @param probeAddress where the probe goes (link-time virtual address), after the stack check
 * @param fileOffset {@code probeAddress} as an offset in the file, what uprobes take
 */
public record ProbeSite(int cookie, String function, long entry, long probeAddress, long fileOffset) {}
