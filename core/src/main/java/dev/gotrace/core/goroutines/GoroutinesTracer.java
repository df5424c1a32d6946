package dev.gotrace.core.goroutines;

import dev.gotrace.core.decode.Event;

import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.RingPoller;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.ringbuf.DropCounter;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The probes of a {@link LaunchPlan}, attached: owns the ring buffer, the drop counter, the
 * program and the links, and releases them in {@link #close()} (also after a failure half-way
 * through {@link #attach}). Polling is single-threaded.
 */
public final class GoroutinesTracer implements AutoCloseable {
  /** Ring buffer size: 8 MiB holds about 130,000 records. */
  public static final int DEFAULT_RING_BYTES = 8 << 20;

  private final LaunchPlan plan;
  private final KernelResources resources = new KernelResources();
  private final Set<Integer> acceptPids;
  private final LaunchDecoder decoder;
  private final String attachNote;
  private RingBufReader reader;
  private RingPoller<Event> poller;
  private boolean closed;

  private GoroutinesTracer(LaunchPlan plan, GoBinary bin, Set<Integer> acceptPids, String attachNote) {
    this.plan = plan;
    this.acceptPids = Set.copyOf(acceptPids);
    this.decoder = new LaunchDecoder(plan, CallDecoder.Symbolizer.of(bin), pc -> GoWrappers.target(bin, pc),
        KernelResources.wallClockOffsetNs());
    this.attachNote = attachNote;
  }

  /**
   * Checks the sites of {@code plan} against {@code bin} ({@link AttachCheck}; a failure refuses
   * before anything is loaded), loads the program and attaches it to the entry and exits of
   * newproc1 in {@code bin} (which also names functions and finds go-wrapper targets while tracing).
   *
   * @param kernelPids processes the kernel filters on (one link each); empty = every process
   *     running the binary, including later ones
   * @param acceptPids when not empty, launches in other processes are ignored in user space too
   */
  public static GoroutinesTracer attach(LaunchPlan plan, GoBinary bin,
      List<Integer> kernelPids, Set<Integer> acceptPids, int ringBytes) {
    AttachCheck.Checked probes = AttachCheck.check(bin, plan.binary(), plan.probes());
    Uprobes.Choice choice = Uprobes.choose();
    GoroutinesTracer t = new GoroutinesTracer(plan, bin, acceptPids, choice.note());
    try {
      BpfMap events = t.own(BpfMap.create(MapSpec.ringBuf(LaunchProgram.EVENTS, ringBytes)));
      DropCounter drops = t.own(DropCounter.create(LaunchProgram.DROPS));
      LoadedProgram prog = t.own(LoadedProgram.load("gotrace_gorout", LaunchProgram.generate(plan),
          choice.mode().attachType(), Map.of(LaunchProgram.EVENTS, events, LaunchProgram.DROPS, drops.map())));
      t.reader = t.own(RingBufReader.open(events, drops));
      t.poller = new RingPoller<>(t.reader, b -> t.decoder.decode(b).map(l -> (Event) l),
          e -> ((Event.Launch) e).pid(), t.acceptPids, t::lost, n -> new Event.Lost(RingPoller.nowNs(), n));
      t.resources.attachEach(prog, probes, kernelPids);
      return t;
    } catch (RuntimeException e) {
      try {
        t.close();
      } catch (RuntimeException s) {
        e.addSuppressed(s);
      }
      throw e;
    }
  }

  private <T extends AutoCloseable> T own(T x) {
    return resources.own(x);
  }


  public LaunchPlan plan() {
    return plan;
  }

  /** How the probes were attached, when it is the fallback ("" for uprobe_multi). */
  public String attachNote() {
    return attachNote;
  }

  /**
   * Delivers pending launches, waiting up to {@code timeoutMs} when there are none, and a
   * {@link Event.Lost} when records were dropped or left unmatched since the last call.
   * Returns the number of events delivered.
   */
  public int poll(int timeoutMs, Consumer<Event> sink) {
    return poller.poll(timeoutMs, sink);
  }

  /** Everything already in the ring, without waiting. */
  public int drain(Consumer<Event> sink) {
    return poller.drain(sink);
  }

  /** Records dropped by the kernel plus halves left unmatched, so far. */
  public long lost() {
    return (reader == null ? 0 : reader.drops()) + decoder.unmatched();
  }

  /** Detaches the probes (first) and frees the program and maps. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    resources.close();
  }
}
