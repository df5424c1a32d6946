package dev.gotrace.core.plan;

import java.util.Optional;

/**
 * One entry probe, or the probe of a copy of a source line ({@code gotrace funcs FILE.go:N}).
 *
 * @param cookie the value the program reads back with {@code bpf_get_attach_cookie}: the index
 *     of this site in {@link ProbePlan#sites()}
 * @param function the function's full Go name
 * @param entry the function's entry (link-time virtual address)
 * @param probeAddress where the probe goes (link-time virtual address), after the stack check
 * @param fileOffset {@code probeAddress} as an offset in the file, what uprobes take
 * @param line for a line probe, the line and its copy ({@code function} is then the function the
 *     line is in, {@code entry} its host's entry, {@code probeAddress} the line's statement boundary)
 */
public record ProbeSite(int cookie, String function, long entry, long probeAddress, long fileOffset,
    Optional<LineProbe> line) {
  public ProbeSite(int cookie, String function, long entry, long probeAddress, long fileOffset) {
    this(cookie, function, entry, probeAddress, fileOffset, Optional.empty());
  }

  /** The line's label ("main.go:98", "main.go:112 [2/2]"), "" for an entry probe. */
  public String site() {
    return line.map(LineProbe::label).orElse("");
  }
}
