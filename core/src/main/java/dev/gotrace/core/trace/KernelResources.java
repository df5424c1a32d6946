package dev.gotrace.core.trace;

import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.prog.LoadedProgram;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The kernel objects of one running trace — maps, programs, uprobe links — released together:
 * links first (so no probe fires into a freed program), then everything else in reverse order of
 * acquisition. Every tracer owns one; closing it after a half-finished attach frees what exists.
 */
public final class KernelResources implements AutoCloseable {
  /** Sites per link at most ({@link #attachEach(LoadedProgram, AttachCheck.Checked, List, BooleanSupplier)}). */
  public static final int ATTACH_BATCH = 8192;

  private final List<AutoCloseable> links = new ArrayList<>();
  private final List<AutoCloseable> owned = new ArrayList<>();

  /** Takes ownership of a map, program or reader; returns it. */
  public synchronized <T extends AutoCloseable> T own(T x) {
    owned.add(0, x);
    return x;
  }

  /** Takes ownership of a uprobe link; links are detached before anything else is freed. */
  public synchronized UprobeLink link(UprobeLink l) {
    links.add(l);
    return l;
  }

  /**
   * Attaches {@code prog} to {@code probes} once per process of {@code kernelPids} (once for every
   * process running the binary when empty) and owns the links. Only probes that passed
   * {@link AttachCheck#check} can be attached: this is the one way gotrace hands addresses to the
   * kernel.
   */
  public void attachEach(LoadedProgram prog, AttachCheck.Checked probes, List<Integer> kernelPids) {
    attachEach(prog, probes, kernelPids, () -> false);
  }

  /**
   * As {@link #attachEach(LoadedProgram, AttachCheck.Checked, List)}, in links of at most
   * {@link #ATTACH_BATCH} sites, asking {@code stop} before each one: the kernel registers about
   * 70,000 uprobes a second, so a stop request during the attach of a large plan is seen within a
   * batch (a tenth of a second or so) instead of after all of them. Returns false when it stopped
   * early; the links made so far stay owned and are detached on close.
   */
  public boolean attachEach(LoadedProgram prog, AttachCheck.Checked probes, List<Integer> kernelPids,
      BooleanSupplier stop) {
    List<UprobeSite> sites = probes.probes().stream().map(p -> new UprobeSite(p.fileOffset(), p.cookie())).toList();
    for (int pid : kernelPids.isEmpty() ? List.of(0) : kernelPids) {
      for (int from = 0; from < sites.size(); from += ATTACH_BATCH) {
        if (stop.getAsBoolean()) {
          return false;
        }
        link(Uprobes.attach(prog, probes.binary(), sites.subList(from, Math.min(sites.size(), from + ATTACH_BATCH)),
            pid));
      }
    }
    return true;
  }

  /**
   * Detaches the probes (closes the links) and keeps the maps and programs, so a final snapshot
   * can still be read; the first failure is thrown after all were tried. Idempotent.
   */
  public void detach() {
    List<AutoCloseable> l;
    synchronized (this) {
      l = new ArrayList<>(links);
      links.clear();
    }
    closeAll(l);
  }

  /** Releases everything; the first failure is thrown after all were tried. Idempotent. */
  @Override
  public synchronized void close() {
    List<AutoCloseable> all = new ArrayList<>(links);
    all.addAll(owned);
    links.clear();
    owned.clear();
    closeAll(all);
  }

  private static void closeAll(List<AutoCloseable> all) {
    RuntimeException first = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Nanoseconds since the epoch minus CLOCK_MONOTONIC (what bpf_ktime_get_ns and, on Linux,
   * System.nanoTime read): added to a kernel timestamp it gives wall-clock time.
   */
  public static long wallClockOffsetNs() {
    Instant now = Instant.now();
    long mono = System.nanoTime();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
  }
}
