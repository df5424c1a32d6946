package dev.gotrace.probes.link;

import com.sun.jna.Memory;
import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.KernelVersion;
import dev.gotrace.probes.priv.UnsupportedFeature;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.sys.Attr;
import dev.gotrace.probes.sys.Bpf;
import dev.gotrace.probes.sys.BpfCmd;
import dev.gotrace.probes.sys.Errno;
import dev.gotrace.probes.sys.Fd;
import dev.gotrace.probes.sys.Perf;
import dev.gotrace.probes.sys.SyscallException;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One perf-event uprobe per site, from the uprobe PMU (type read from sysfs; config1 = path
 * pointer, config2 = file offset). Each event gets the program through a {@code BPF_PERF_EVENT}
 * link carrying the site's cookie (Linux >= 5.15), or through {@code PERF_EVENT_IOC_SET_BPF}
 * without cookies on older kernels; then {@code PERF_EVENT_IOC_ENABLE}.
 */
public final class PerfEventUprobes implements UprobeLink {
  private static final Path PMU_TYPE = Path.of("/sys/bus/event_source/devices/uprobe/type");
  private static final int BPF_PERF_EVENT = 41;
  /** Threads that open and close sites concurrently (see {@link Workers}). */
  private static final int THREADS = 256;

  private final Path binary;
  private final List<UprobeSite> sites;
  private final Fd[][] perSite;
  private final boolean cookies;

  private PerfEventUprobes(Path binary, List<UprobeSite> sites, Fd[][] perSite, boolean cookies) {
    this.binary = binary;
    this.sites = sites;
    this.perSite = perSite;
    this.cookies = cookies;
  }

  /** The uprobe PMU's dynamic type number. */
  public static int pmuType() {
    Features.uprobePmu().require();
    try {
      return Integer.parseInt(Files.readString(PMU_TYPE).trim());
    } catch (IOException | NumberFormatException e) {
      throw new UnsupportedFeature(List.of(FeatureStatus.absent(Feature.UPROBE_PMU, KernelVersion.running(),
          "cannot read " + PMU_TYPE + ": " + e.getMessage())), e);
    }
  }

  /** Attaches {@code prog} (loaded with {@link AttachType#PERF_EVENT}); pid 0 = every process. */
  public static PerfEventUprobes attach(LoadedProgram prog, Path binary, List<UprobeSite> sites, int pid) {
    return attach(prog, binary, sites, pid, true);
  }

  /**
   * As {@link #attach(LoadedProgram, Path, List, int)}; with {@code links} false it uses
   * {@code PERF_EVENT_IOC_SET_BPF} directly, the pre-5.15 path (no cookies).
   */
  static PerfEventUprobes attach(LoadedProgram prog, Path binary, List<UprobeSite> sites, int pid,
      boolean links) {
    if (prog.attachType() != AttachType.PERF_EVENT) {
      throw new IllegalArgumentException("program " + prog.name()
          + " was not loaded for perf events (attach type " + prog.attachType() + ")");
    }
    if (pid < 0) {
      throw new IllegalArgumentException("negative pid " + pid);
    }
    if (sites.isEmpty()) {
      throw new IllegalArgumentException("no sites to attach");
    }
    int type = pmuType();
    String path = binary.toAbsolutePath().toString();
    Memory pathMem = Attr.cString(path);
    Fd[][] perSite = new Fd[sites.size()][];
    try {
      // The first site decides whether perf-event links (and so cookies) work on this kernel.
      boolean withCookies = links;
      try {
        perSite[0] = attachOne(prog, type, pathMem, path, sites.get(0), pid, withCookies);
      } catch (CookieLinkUnsupported e) {
        withCookies = false;
        perSite[0] = attachOne(prog, type, pathMem, path, sites.get(0), pid, false);
      }
      boolean cookies = withCookies;
      Workers.run(sites.size() - 1, THREADS, i -> {
        try {
          perSite[i + 1] = attachOne(prog, type, pathMem, path, sites.get(i + 1), pid, cookies);
        } catch (CookieLinkUnsupported e) {
          throw (SyscallException) e.getCause();
        }
      });
      return new PerfEventUprobes(binary, List.copyOf(sites), perSite, cookies);
    } catch (RuntimeException e) {
      try {
        closeAll(perSite);
      } catch (RuntimeException s) {
        e.addSuppressed(s);
      }
      throw e;
    } finally {
      Reference.reachabilityFence(pathMem);
    }
  }

  /** BPF_LINK_CREATE of type BPF_PERF_EVENT is unknown to this kernel (< 5.15). */
  private static final class CookieLinkUnsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CookieLinkUnsupported(SyscallException cause) {
      super(cause);
    }
  }

  /** Opens, attaches and enables one site; returns its descriptors, event first. */
  private static Fd[] attachOne(LoadedProgram prog, int type, Memory pathMem, String path,
      UprobeSite site, int pid, boolean withCookie) {
    Attr attr = Perf.attr().u32(0, type).ptr(56, pathMem).u64(64, site.fileOffset());
    String what = "uprobe " + path + "+0x" + Long.toHexString(site.fileOffset());
    Fd event = pid > 0 ? Perf.open(attr, pid, -1, what) : Perf.open(attr, -1, 0, what);
    Fd link = null;
    try {
      if (withCookie) {
        Attr la = Bpf.attr().u32(0, prog.fd().get()).u32(4, event.get())
            .u32(8, BPF_PERF_EVENT).u64(16, site.cookie());
        try {
          link = Bpf.callFd(BpfCmd.BPF_LINK_CREATE, la, "perf-event link for " + what);
        } catch (SyscallException e) {
          throw e.is(Errno.EINVAL) ? new CookieLinkUnsupported(e) : e;
        }
      } else {
        Perf.ioctl(event, Perf.IOC_SET_BPF, prog.fd().get(), "PERF_EVENT_IOC_SET_BPF");
      }
      Perf.ioctl(event, Perf.IOC_ENABLE, 0, "PERF_EVENT_IOC_ENABLE");
      return link == null ? new Fd[] {event} : new Fd[] {event, link};
    } catch (RuntimeException e) {
      if (link != null) {
        link.close();
      }
      event.close();
      throw e;
    }
  }

  /** Closes every site's descriptors (link before event), many sites at once. */
  private static void closeAll(Fd[][] perSite) {
    Workers.run(perSite.length, THREADS, i -> {
      Fd[] fds = perSite[i];
      if (fds != null) {
        for (int j = fds.length - 1; j >= 0; j--) {
          fds[j].close();
        }
      }
    });
  }

  @Override
  public AttachMode mode() {
    return AttachMode.PERF_EVENT;
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
    return cookies;
  }

  @Override
  public void close() {
    closeAll(perSite);
  }
}
