package dev.gotrace.probes.link;

import com.sun.jna.Memory;
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
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private final Path binary;
  private final List<UprobeSite> sites;
  private final List<Fd> fds;
  private final boolean cookies;

  private PerfEventUprobes(Path binary, List<UprobeSite> sites, List<Fd> fds, boolean cookies) {
    this.binary = binary;
    this.sites = sites;
    this.fds = fds;
    this.cookies = cookies;
  }

  /** The uprobe PMU's dynamic type number. */
  public static int pmuType() {
    try {
      return Integer.parseInt(Files.readString(PMU_TYPE).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("uprobe perf events not available: cannot read " + PMU_TYPE, e);
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
    int type = pmuType();
    String path = binary.toAbsolutePath().toString();
    Memory pathMem = Attr.cString(path);
    List<Fd> fds = new ArrayList<>(sites.size() * 2);
    boolean withCookies = links;
    try {
      for (UprobeSite site : sites) {
        Attr attr = Perf.attr().u32(0, type).ptr(56, pathMem).u64(64, site.fileOffset());
        String what = "uprobe " + path + "+0x" + Long.toHexString(site.fileOffset());
        Fd event = pid > 0 ? Perf.open(attr, pid, -1, what) : Perf.open(attr, -1, 0, what);
        fds.add(event);
        if (withCookies) {
          Attr link = Bpf.attr().u32(0, prog.fd().get()).u32(4, event.get())
              .u32(8, BPF_PERF_EVENT).u64(16, site.cookie());
          try {
            fds.add(Bpf.callFd(BpfCmd.BPF_LINK_CREATE, link, "perf-event link for " + what));
          } catch (SyscallException e) {
            if (!e.is(Errno.EINVAL) || fds.size() > 1) {
              throw e;
            }
            withCookies = false;
          }
        }
        if (!withCookies) {
          Perf.ioctl(event, Perf.IOC_SET_BPF, prog.fd().get(), "PERF_EVENT_IOC_SET_BPF");
        }
        Perf.ioctl(event, Perf.IOC_ENABLE, 0, "PERF_EVENT_IOC_ENABLE");
      }
    } catch (RuntimeException e) {
      closeAll(fds, e);
      throw e;
    } finally {
      Reference.reachabilityFence(pathMem);
    }
    return new PerfEventUprobes(binary, List.copyOf(sites), fds, withCookies);
  }

  private static void closeAll(List<Fd> fds, RuntimeException cause) {
    for (int i = fds.size() - 1; i >= 0; i--) {
      try {
        fds.get(i).close();
      } catch (RuntimeException e) {
        if (cause != null) {
          cause.addSuppressed(e);
        } else {
          throw e;
        }
      }
    }
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
    closeAll(fds, null);
  }
}
