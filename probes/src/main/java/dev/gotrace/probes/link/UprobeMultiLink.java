package dev.gotrace.probes.link;

import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.sys.Attr;
import dev.gotrace.probes.sys.Bpf;
import dev.gotrace.probes.sys.BpfCmd;
import dev.gotrace.probes.sys.Fd;
import java.nio.file.Path;
import java.util.List;

/**
 * A uprobe_multi link: every site of one binary in a single {@code BPF_LINK_CREATE} (attach type
 * {@code BPF_TRACE_UPROBE_MULTI} = 48), cookies per site, optionally only for one process (all its
 * threads, Linux >= 6.10).
 */
public final class UprobeMultiLink implements UprobeLink {
  /** The kernel's limit on sites per link (MAX_UPROBE_MULTI_CNT). */
  public static final int MAX_SITES = 1 << 20;

  private final Path binary;
  private final List<UprobeSite> sites;
  private final Fd fd;

  private UprobeMultiLink(Path binary, List<UprobeSite> sites, Fd fd) {
    this.binary = binary;
    this.sites = sites;
    this.fd = fd;
  }

  /** Attaches {@code prog} (loaded with {@link AttachType#UPROBE_MULTI}); pid 0 = every process. */
  public static UprobeMultiLink attach(LoadedProgram prog, Path binary, List<UprobeSite> sites, int pid) {
    if (prog.attachType() != AttachType.UPROBE_MULTI) {
      throw new IllegalArgumentException("program " + prog.name()
          + " was not loaded for uprobe_multi (attach type " + prog.attachType() + ")");
    }
    if (sites.isEmpty() || sites.size() > MAX_SITES) {
      throw new IllegalArgumentException("uprobe_multi needs 1 to " + MAX_SITES + " sites, got "
          + sites.size());
    }
    if (pid < 0) {
      throw new IllegalArgumentException("negative pid " + pid);
    }
    long[] offsets = new long[sites.size()];
    long[] cookies = new long[sites.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = sites.get(i).fileOffset();
      cookies[i] = sites.get(i).cookie();
    }
    String path = binary.toAbsolutePath().toString();
    Attr a = Bpf.attr()
        .u32(0, prog.fd().get())
        .u32(8, AttachType.UPROBE_MULTI.value())
        .ptr(16, Attr.cString(path))
        .ptr(24, Attr.u64s(offsets))
        .ptr(40, Attr.u64s(cookies))
        .u32(48, offsets.length)
        .u32(56, pid);
    String what = "uprobe_multi link " + prog.name() + " on " + path + " (" + offsets.length + " sites)";
    Fd fd = Bpf.callFd(BpfCmd.BPF_LINK_CREATE, a, what);
    return new UprobeMultiLink(binary, List.copyOf(sites), fd);
  }

  @Override
  public AttachMode mode() {
    return AttachMode.UPROBE_MULTI;
  }

  @Override
  public Path binary() {
    return binary;
  }

  @Override
  public List<UprobeSite> sites() {
    return sites;
  }

  @Override
  public boolean cookies() {
    return true;
  }

  @Override
  public void close() {
    fd.close();
  }
}
