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

/** Probes for the kernel features gotrace uses; each answer is computed once per process. */
public final class Features {
  private static volatile FeatureStatus uprobeMulti;

  private Features() {}

  /**
   * Whether uprobe_multi links work (Linux >= 6.6): loads a no-op program for
   * BPF_TRACE_UPROBE_MULTI and links it to "/"; EBADF (not a regular file) means the kernel knows
   * the link type, EINVAL that it does not.
   */
  public static FeatureStatus uprobeMulti() {
    FeatureStatus s = uprobeMulti;
    if (s == null) {
      s = probeUprobeMulti();
      uprobeMulti = s;
    }
    return s;
  }

  private static FeatureStatus probeUprobeMulti() {
    String no = "uprobe_multi links not supported (requires Linux >= 6.6, running "
        + KernelVersion.running() + "); falling back to perf events";
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
        return new FeatureStatus("uprobe_multi", true, "uprobe_multi links supported");
      } catch (SyscallException e) {
        if (e.is(Errno.EBADF)) {
          return new FeatureStatus("uprobe_multi", true, "uprobe_multi links supported");
        }
        return new FeatureStatus("uprobe_multi", false, no);
      }
    } catch (SyscallException e) {
      return new FeatureStatus("uprobe_multi", false, no + " (" + e.getMessage() + ")");
    }
  }

  /** Whether the uprobe PMU exists ({@code /sys/bus/event_source/devices/uprobe/type}). */
  public static FeatureStatus uprobePmu() {
    boolean ok = Files.isReadable(Path.of("/sys/bus/event_source/devices/uprobe/type"));
    return new FeatureStatus("uprobe PMU", ok, ok ? "uprobe PMU present"
        : "uprobe perf events not supported (requires Linux >= 4.17 with CONFIG_UPROBE_EVENTS)");
  }

  /** Whether {@code /sys/kernel/btf/vmlinux} exists (CONFIG_DEBUG_INFO_BTF, Linux >= 5.4). */
  public static FeatureStatus vmlinuxBtf() {
    boolean ok = Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"));
    return new FeatureStatus("vmlinux BTF", ok, ok ? "vmlinux BTF present"
        : "kernel BTF not available (requires Linux >= 5.4 built with CONFIG_DEBUG_INFO_BTF)");
  }

  /** Whether BPF ring buffers exist (Linux >= 5.8). */
  public static FeatureStatus ringBuffer() {
    KernelVersion k = KernelVersion.running();
    boolean ok = k.atLeast(5, 8);
    return new FeatureStatus("ring buffer", ok, ok ? "BPF ring buffers supported"
        : "BPF ring buffers not supported (requires Linux >= 5.8, running " + k + ")");
  }
}
