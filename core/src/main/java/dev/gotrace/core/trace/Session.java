package dev.gotrace.core.trace;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.RecordDecoder;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.Note;
import dev.gotrace.core.target.Processes;
import dev.gotrace.core.target.TargetException;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.ringbuf.DropCounter;
import dev.gotrace.probes.ringbuf.RingBufReader;
import dev.gotrace.probes.sys.SyscallException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One running trace of a {@link TraceSpec}, whichever command it is: owns the maps, the programs,
 * the uprobe links (uprobe_multi, or one perf event per site where that is missing), the ring
 * buffer and its reader; delivers decoded {@link Event}s with losses counted; reads maps for
 * snapshots; and releases everything in {@link #close()}, links first, also after a failure
 * half-way through {@link #open}. Polling is single-threaded.
 */
public final class Session implements AutoCloseable {
  /** Ring buffer size: 8 MiB holds about 130,000 records. */
  public static final int DEFAULT_RING_BYTES = 8 << 20;

  private final TraceSpec spec;
  private final KernelResources resources = new KernelResources();
  private final Map<String, BpfMap> maps = new HashMap<>();
  private final RecordDecoder decoder;
  private final Optional<Note> attachNote;
  private RecordSource source;
  private RingPoller poller;
  private boolean closed;
  private boolean attachedFully = true;
  private Thread detaching;
  private volatile RuntimeException detachFailure;

  private Session(TraceSpec spec, Optional<Note> attachNote) {
    this.spec = spec;
    this.decoder = spec.decoders().get();
    this.attachNote = attachNote;
  }

  /**
   * Checks every probe of {@code spec} against {@code bin}, the binary it was planned from
   * ({@link AttachCheck}: a failure refuses before anything is loaded), creates the maps, loads
   * the programs and attaches them.
   *
   * @param kernelPids processes the kernel filters on (one link per program each); empty = every
   *     process running the binary, including later ones
   * @param acceptPids when not empty, events of other processes are ignored in user space too (a
   *     launched command, whose pid runs a shell until it execs the binary: the kernel's filter
   *     follows the exec, this one also holds where the filter is not available)
   * @throws dev.gotrace.core.plan.PlanException.UnprovenSite when a site fails the check
   */
  public static Session open(TraceSpec spec, GoBinary bin, List<Integer> kernelPids, Set<Integer> acceptPids) {
    return open(spec, bin, kernelPids, acceptPids, () -> false);
  }

  /**
   * As {@link #open(TraceSpec, GoBinary, List, Set)}, attaching in batches and asking {@code stop}
   * before each: when it says yes (Ctrl-C during the attach of a large plan) the session opens
   * with the probes attached so far ({@link #attachedFully} false), so the caller can still print
   * what they saw and close.
   */
  public static Session open(TraceSpec spec, GoBinary bin, List<Integer> kernelPids, Set<Integer> acceptPids,
      BooleanSupplier stop) {
    List<AttachCheck.Checked> checked = new ArrayList<>();
    for (TraceSpec.Probes p : spec.programs()) {
      checked.add(AttachCheck.check(bin, spec.binary(), p.probes()));
    }
    Uprobes.Choice choice = Uprobes.choose();
    Session s = new Session(spec, choice.fallbackFrom().map(Note.PerfEventFallback::new));
    try {
      for (MapSpec m : spec.maps()) {
        s.maps.put(m.name(), s.resources.own(BpfMap.create(m)));
      }
      if (spec.ring().isPresent()) {
        TraceSpec.Ring ring = spec.ring().get();
        DropCounter drops = s.resources.own(DropCounter.create(ring.drops()));
        s.maps.put(ring.drops(), drops.map());
        RingBufReader reader = s.resources.own(RingBufReader.open(s.maps.get(ring.events()), drops));
        s.read(RecordSource.of(reader), acceptPids);
      }
      s.decoder.useMaps(s::map);
      List<LoadedProgram> loaded = new ArrayList<>();
      for (TraceSpec.Probes p : spec.programs()) {
        Map<String, BpfMap> uses = new HashMap<>();
        p.maps().forEach(m -> uses.put(m, s.maps.get(m)));
        loaded.add(s.resources.own(LoadedProgram.load(p.name(), p.program(), choice.mode().attachType(), uses)));
      }
      for (int i = 0; i < loaded.size() && s.attachedFully; i++) {
        try {
          s.attachedFully = s.resources.attachEach(loaded.get(i), checked.get(i), kernelPids, stop);
        } catch (SyscallException e) {
          throw exitedDuringAttach(kernelPids, e).orElseThrow(() -> e);
        }
      }
      return s;
    } catch (RuntimeException e) {
      try {
        s.close();
      } catch (RuntimeException x) {
        e.addSuppressed(x);
      }
      throw e;
    }
  }

  /**
   * When an attach failed because a traced process had exited meanwhile (the kernel then answers
   * ENOENT for the file under {@code /proc/PID/root} or ESRCH for the pid), what to tell the user
   * instead of the errno: that the process ended.
   */
  private static Optional<TargetException> exitedDuringAttach(List<Integer> kernelPids, SyscallException e) {
    return kernelPids.stream().filter(pid -> !Processes.alive(pid)).findFirst()
        .map(pid -> new TargetException(TargetException.Kind.NOT_FOUND,
            "pid " + pid + " exited while gotrace was attaching its probes",
            "trace a process that keeps running, or launch it with -- COMMAND (held until the probes are in)", e));
  }

  /**
   * A session that attaches nothing and reads {@code source} instead of a ring buffer: the
   * spec's decoder, filtering and loss reporting exactly as in a live session, without root.
   */
  public static Session replay(TraceSpec spec, RecordSource source, Set<Integer> acceptPids) {
    Session s = new Session(spec, Optional.empty());
    s.read(source, acceptPids);
    return s;
  }

  private void read(RecordSource src, Set<Integer> acceptPids) {
    this.source = src;
    this.poller = new RingPoller(src, decoder, acceptPids, this::lost, spec.announceLost());
  }

  public TraceSpec spec() {
    return spec;
  }

  /** How the probes were attached, when it is the perf-event fallback (empty for uprobe_multi). */
  public Optional<Note> attachNote() {
    return attachNote;
  }

  /** False when a stop request ended {@link #open} before every probe was attached. */
  public boolean attachedFully() {
    return attachedFully;
  }

  /** Whether events are streamed to {@link #poll} (the spec has a ring buffer). */
  public boolean streams() {
    return poller != null;
  }

  /**
   * Delivers pending events (a batch), waiting up to {@code timeoutMs} when there are none (at
   * most the ring reader's 50 ms: the programs commit without waking it), and an
   * {@link Event.Lost} when records were lost since the last call (if the spec announces losses).
   * Returns the number of events delivered; 0 when the session does not stream.
   */
  public int poll(int timeoutMs, Consumer<? super Event> sink) {
    return poller == null ? 0 : poller.poll(timeoutMs, sink);
  }

  /**
   * Everything committed to the ring before this call, without waiting; records the target writes
   * meanwhile are left, so this ends even while the target keeps running.
   */
  public int drain(Consumer<? super Event> sink) {
    return poller == null ? 0 : poller.drain(sink);
  }

  /** Records the kernel dropped because the ring buffer was full, so far. */
  public long drops() {
    return source == null ? 0 : source.drops();
  }

  /** Records lost so far: the kernel's drops plus halves the decoder could not match. */
  public long lost() {
    return drops() + decoder.unmatched();
  }

  /** One of the spec's maps, for snapshots; empty in a replayed session or for an unknown name. */
  public Optional<BpfMap> map(String name) {
    return Optional.ofNullable(maps.get(name));
  }

  /**
   * Starts detaching the probes on another thread, keeping the maps readable: the kernel takes
   * about 0.1 s per thousand uprobes to unregister them, time the caller spends reading the final
   * snapshot and printing it instead of waiting. {@link #close} waits for it. Idempotent.
   */
  public synchronized void detachInBackground() {
    if (closed || detaching != null) {
      return;
    }
    detaching = new Thread(() -> {
      try {
        resources.detach();
      } catch (RuntimeException e) {
        detachFailure = e;
      }
    }, "gotrace-detach");
    detaching.setDaemon(true);
    detaching.start();
  }

  /** Detaches the probes (first), then frees the programs and maps. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (detaching != null) {
      boolean interrupted = false;
      while (detaching.isAlive()) {
        try {
          detaching.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    resources.close();
    if (detachFailure != null) {
      throw detachFailure;
    }
  }
}
