package dev.gotrace.probes.link;

import java.nio.file.Path;
import java.util.List;

/** Attached uprobes; {@link #close()} detaches every site. */
public sealed interface UprobeLink extends AutoCloseable permits UprobeMultiLink, PerfEventUprobes {
  AttachMode mode();

  Path binary();

  List<UprobeSite> sites();

  /** Whether {@code bpf_get_attach_cookie} returns each site's cookie. */
  boolean cookies();

  @Override
  void close();
}
