package dev.gotrace.core.plan;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything needed to attach entry probes to one binary and to decode what they report.
 *
 * @param binary the file the uprobes are attached to
 * @param arch its architecture
 * @param goVersion its Go version
 * @param g how a probe reaches the current {@code g}
 * @param goidOffset the offset of {@code g.goid}
 * @param goidFromDwarf whether the offset came from the binary's DWARF (else the version table)
 * @param sites one per traced function, the cookie of each being its index
 * @param notes things the user should know that do not stop tracing (inlined-only functions,
 *     undecodable functions skipped)
 */
public record ProbePlan(Path binary, Arch arch, GoVersion goVersion, GAccess g, long goidOffset,
    boolean goidFromDwarf, List<ProbeSite> sites, List<Note> notes) {

  public ProbePlan {
    sites = List.copyOf(sites);
    notes = List.copyOf(notes);
    for (int i = 0; i < sites.size(); i++) {
      if (sites.get(i).cookie() != i) {
        throw new IllegalArgumentException("site " + i + " has cookie " + sites.get(i).cookie());
      }
    }
  }

  /** What goes to the kernel: one entry probe per site, its cookie its index ({@link AttachCheck}). */
  public List<AttachCheck.Probe> probes() {
    return sites.stream().map(s -> new AttachCheck.Probe(s.line().isPresent()
        ? "the probe of " + s.site() + " in " + s.function() : "the entry probe of " + s.function(), s.probeAddress(),
        s.fileOffset(), s.cookie())).toList();
  }

  /** The site a cookie names. */
  public ProbeSite site(long cookie) {
    if (cookie < 0 || cookie >= sites.size()) {
      throw new IllegalArgumentException("no site with cookie " + cookie);
    }
    return sites.get((int) cookie);
  }
}
