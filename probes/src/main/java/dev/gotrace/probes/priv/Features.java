package dev.gotrace.probes.priv;

import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.sys.Attr;
import dev.gotrace.probes.sys.Bpf;
import dev.gotrace.probes.sys.BpfCmd;
import dev.gotrace.probes.sys.Errno;
import dev.gotrace.probes.sys.Fd;
import dev.gotrace.probes.sys.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes for the kernel features gotrace uses; each answer is computed once per process. Tests
 * can make a probe answer "absent" with {@link #assume} to walk the refusal paths on a kernel
 * that has everything.
 */
public final class Features {
  private static volatile FeatureStatus uprobeMulti;
  private static final Map<Feature, FeatureStatus> ASSUMED = new ConcurrentHashMap<>();

  private Features() {}

  /** Undoes an {@link #assume}. */
  public interface Assumption extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * For tests: the probe of {@code status.feature()} answers {@code status} until the returned
   * assumption is closed.
   */
  public static Assumption assume(FeatureStatus status) {
    Feature f = status.feature();
    ASSUMED.put(f, status);
    return () -> ASSUMED.remove(f, status);
  }

  /**
   * Whether uprobe_multi links work (Linux >= 6.6): loads a no-op program for
   * BPF_TRACE_UPROBE_MULTI and links it to "/"; EBADF (not a regular file) means the kernel knows
   * the link type, EINVAL that it does not.
   */
  public static FeatureStatus uprobeMulti() {
    FeatureStatus assumed = ASSUMED.get(Feature.UPROBE_MULTI);
    if (assumed != null) {
      return assumed;
    }
    FeatureStatus s = uprobeMulti;
    if (s == null) {
      s = probeUprobeMulti();
      uprobeMulti = s;
    }
    return s;
  }

  private static FeatureStatus probeUprobeMulti() {
    Program noop = Program.of(Insn.mov64(Reg.R0, 0), Insn.exit());
    try (LoadedProgram p = LoadedProgram.load("probe_umulti", noop, AttachType.UPROBE_MULTI, Map.of())) {
      Attr a = Bpf.attr()
          .u32(0, p.fd().get())
          .u32(8, AttachType.UPROBE_MULTI.value())
          .ptr(16, Attr.cString("/"))
          .ptr(24, Attr.u64s(new long[] {0}))
          .u32(48, 1);
      try {
        // "/" is a directory, so a kernel that knows the link type refuses with EBADF.
        Fd link = Bpf.callFd(BpfCmd.BPF_LINK_CREATE, a, "uprobe_multi probe");
        link.close();
        return FeatureStatus.present(Feature.UPROBE_MULTI);
      } catch (SyscallException e) {
        if (e.is(Errno.EBADF)) {
          return FeatureStatus.present(Feature.UPROBE_MULTI);
        }
        return FeatureStatus.absent(Feature.UPROBE_MULTI, KernelVersion.running(), "");
      }
    } catch (SyscallException e) {
      return FeatureStatus.absent(Feature.UPROBE_MULTI, KernelVersion.running(), e.getMessage());
    }
  }

  /** Whether the uprobe PMU exists ({@code /sys/bus/event_source/devices/uprobe/type}). */
  public static FeatureStatus uprobePmu() {
    return ASSUMED.getOrDefault(Feature.UPROBE_PMU,
        fileStatus(Feature.UPROBE_PMU, "/sys/bus/event_source/devices/uprobe/type"));
  }

  /** Whether {@code /sys/kernel/btf/vmlinux} exists (CONFIG_DEBUG_INFO_BTF, Linux >= 5.4). */
  public static FeatureStatus vmlinuxBtf() {
    return ASSUMED.getOrDefault(Feature.VMLINUX_BTF, fileStatus(Feature.VMLINUX_BTF, "/sys/kernel/btf/vmlinux"));
  }

  /** Whether BPF ring buffers exist (Linux >= 5.8). */
  public static FeatureStatus ringBuffer() {
    FeatureStatus assumed = ASSUMED.get(Feature.RING_BUFFER);
    if (assumed != null) {
      return assumed;
    }
    KernelVersion k = KernelVersion.running();
    return k.atLeast(5, 8) ? FeatureStatus.present(Feature.RING_BUFFER)
        : FeatureStatus.absent(Feature.RING_BUFFER, k, "");
  }

  private static FeatureStatus fileStatus(Feature f, String file) {
    return Files.isReadable(Path.of(file)) ? FeatureStatus.present(f) : FeatureStatus.absent(f);
  }
}
