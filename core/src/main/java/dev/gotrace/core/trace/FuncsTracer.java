package dev.gotrace.core.trace;

import dev.gotrace.core.codegen.FuncsProgram;
import dev.gotrace.core.decode.CallDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.Note;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.btf.Btf;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.ringbuf.DropCounter;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Entry probes of a plan, attached: owns the ring buffer, the drop counter, the program and the
 * links, and releases all of them in {@link #close()} (also after a failure half-way through
 * {@link #attach}). Polling is single-threaded.
 */
public final class FuncsTracer implements AutoCloseable {
  /** Ring buffer size: 8 MiB holds about 150,000 records. */
  public static final int DEFAULT_RING_BYTES = 8 << 20;

  private final ProbePlan plan;
  private final KernelResources resources = new KernelResources();
  private final Set<Integer> acceptPids;
  private final CallDecoder decoder;
  private final Optional<Note> attachNote;
  private RingBufReader reader;
  private RingPoller<Event> poller;
  private DropCounter drops;
  private boolean closed;

  private FuncsTracer(ProbePlan plan, CallDecoder.Symbolizer symbols, Set<Integer> acceptPids,
      Optional<Note> attachNote) {
    this.plan = plan;
    this.acceptPids = Set.copyOf(acceptPids);
    this.decoder = new CallDecoder(plan, symbols, KernelResources.wallClockOffsetNs());
    this.attachNote = attachNote;
  }

  /**
   * Checks the sites of {@code plan} against {@code bin}, the binary it was made from
   * ({@link AttachCheck}), then loads its program and attaches it. {@code bin} also names the
   * callers while tracing.
   *
   * @throws dev.gotrace.core.plan.PlanException.UnprovenSite before anything is loaded, when a
   *     site fails the check
   * @param kernelPids processes the kernel filters on (one link each); empty = every process
   *     running the binary, including later ones
   * @param acceptPids when not empty, records of other processes are ignored in user space too
   *     (a launched command, whose pid runs a shell until it execs the binary: the kernel's filter
   *     follows the exec, this one also holds where the filter is not available)
   */
  public static FuncsTracer attach(ProbePlan plan, GoBinary bin,
      List<Integer> kernelPids, Set<Integer> acceptPids, int ringBytes) {
    AttachCheck.Checked probes = AttachCheck.check(bin, plan.binary(), plan.probes());
    Uprobes.Choice choice = Uprobes.choose();
    FuncsTracer t = new FuncsTracer(plan, CallDecoder.Symbolizer.of(bin), acceptPids, choice.fallbackFrom().map(Note.PerfEventFallback::new));
    try {
      OptionalLong fs = plan.g() instanceof GAccess.ThreadLocal
          ? OptionalLong.of(Btf.vmlinux().taskStructFsbaseOffset()) : OptionalLong.empty();
      Program program = FuncsProgram.generate(plan, fs);
      BpfMap events = t.own(BpfMap.create(MapSpec.ringBuf(FuncsProgram.EVENTS, ringBytes)));
      t.drops = t.own(DropCounter.create(FuncsProgram.DROPS));
      LoadedProgram prog = t.own(LoadedProgram.load("gotrace_funcs", program,
          choice.mode().attachType(), Map.of(FuncsProgram.EVENTS, events, FuncsProgram.DROPS, t.drops.map())));
      t.reader = t.own(RingBufReader.open(events, t.drops));
      t.poller = new RingPoller<>(t.reader, b -> Optional.of(t.decoder.decode(b)),
          e -> ((Event.Call) e).pid(), t.acceptPids, t.reader::drops, n -> new Event.Lost(RingPoller.nowNs(), n));
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


  public ProbePlan plan() {
    return plan;
  }

  /** Why the probes were attached as perf events, when they were (empty for uprobe_multi). */
  public Optional<Note> attachNote() {
    return attachNote;
  }

  /**
   * Delivers pending calls, waiting up to {@code timeoutMs} when there are none, and a
   * {@link Event.Lost} when the kernel counted new drops. Returns the number of events delivered.
   */
  public int poll(int timeoutMs, Consumer<Event> sink) {
    return poller.poll(timeoutMs, sink);
  }

  /** Everything already in the ring, without waiting. */
  public int drain(Consumer<Event> sink) {
    return poller.drain(sink);
  }

  /** Records lost to a full ring buffer so far. */
  public long drops() {
    return reader == null ? 0 : reader.drops();
  }

  /** The sites, for the summary. */
  public List<ProbeSite> sites() {
    return plan.sites();
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
