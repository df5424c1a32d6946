package dev.gotrace.core.plan;

import dev.gotrace.goelf.version.GoVersion;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything needed to attach the probes of {@code gotrace goroutines} to one binary and to
 * decode what they report.
 *
 * @param binary the file the uprobes are attached to
 * @param goVersion its Go version
 * @param goidOffset the offset of {@code g.goid}
 * @param goidFromDwarf whether that offset came from DWARF (else the per-version table)
 * @param layout where newproc1's inputs and result are
 * @param sites the entry (cookie 0) then every exit, the cookie of each being its index
 * @param notes things the user should know that do not stop tracing
 */
public record LaunchPlan(Path binary, GoVersion goVersion, long goidOffset, boolean goidFromDwarf,
    NewprocLayout layout, List<LaunchSite> sites, List<Note> notes) {

  public LaunchPlan {
    sites = List.copyOf(sites);
    notes = List.copyOf(notes);
    if (sites.size() < 2 || sites.get(0).exit()) {
      throw new IllegalArgumentException("a launch plan needs the entry then at least one exit");
    }
    for (int i = 0; i < sites.size(); i++) {
      if (sites.get(i).cookie() != i || sites.get(i).exit() != (i > 0)) {
        throw new IllegalArgumentException("site " + i + " is " + sites.get(i));
      }
    }
  }

  /** What goes to the kernel: the entry and every exit of newproc1, each with its cookie ({@link AttachCheck}). */
  public List<AttachCheck.Probe> probes() {
    return sites.stream().map(s -> new AttachCheck.Probe((s.exit() ? "an exit probe of " : "the entry probe of ")
        + LaunchPlanner.NEWPROC1, s.address(), s.fileOffset(), s.cookie())).toList();
  }

  /** The site a cookie names. */
  public LaunchSite site(long cookie) {
    if (cookie < 0 || cookie >= sites.size()) {
      throw new IllegalArgumentException("no site with cookie " + cookie);
    }
    return sites.get((int) cookie);
  }
}
