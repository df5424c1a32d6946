package dev.gotrace.core.trace;

import dev.gotrace.core.codegen.ArgsProgram;
import dev.gotrace.core.decode.ArgsDecoder;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.TypeNames;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.GAccess;
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
 * The probes of an {@link ArgsPlan}, attached: entry and exit sites share one program, one ring
 * buffer and one drop counter; {@link #close()} detaches first, then frees them.
 */
public final class ArgsTracer implements AutoCloseable {
  private final ArgsPlan plan;
  private final KernelResources resources = new KernelResources();
  private final Set<Integer> acceptPids;
  private final ArgsDecoder decoder;
  private final String attachNote;
  private RingBufReader reader;
  private RingPoller<Event> poller;
  private boolean closed;

  private ArgsTracer(ArgsPlan plan, TypeNames names, Set<Integer> acceptPids, String attachNote) {
    this.plan = plan;
    this.acceptPids = Set.copyOf(acceptPids);
    this.decoder = new ArgsDecoder(plan, names, KernelResources.wallClockOffsetNs());
    this.attachNote = attachNote;
  }

  /**
   * Checks every site against {@code bin} ({@link AttachCheck}), loads and attaches; the parameters
   * mean what they mean for {@link FuncsTracer#attach} ({@code bin} also names the types of values).
   */
  public static ArgsTracer attach(ArgsPlan plan, GoBinary bin, List<Integer> kernelPids,
      Set<Integer> acceptPids, int ringBytes) {
    AttachCheck.Checked probes = AttachCheck.check(bin, plan.base().binary(), plan.probes());
    Uprobes.Choice choice = Uprobes.choose();
    ArgsTracer t = new ArgsTracer(plan, TypeNames.of(bin), acceptPids, choice.note());
    try {
      OptionalLong fs = plan.base().g() instanceof GAccess.ThreadLocal
          ? OptionalLong.of(Btf.vmlinux().taskStructFsbaseOffset()) : OptionalLong.empty();
      Program program = ArgsProgram.generate(plan, fs);
      BpfMap events = t.own(BpfMap.create(MapSpec.ringBuf(ArgsProgram.EVENTS, ringBytes)));
      DropCounter drops = t.own(DropCounter.create(ArgsProgram.DROPS));
      LoadedProgram prog = t.own(LoadedProgram.load("gotrace_args", program, choice.mode().attachType(),
          Map.of(ArgsProgram.EVENTS, events, ArgsProgram.DROPS, drops.map())));
      t.reader = t.own(RingBufReader.open(events, drops));
      t.poller = new RingPoller<>(t.reader, b -> Optional.of(t.decoder.decode(b)),
          e -> e instanceof Event.Entry c ? c.pid() : ((Event.Return) e).pid(), t.acceptPids, t.reader::drops,
          n -> new Event.Lost(RingPoller.nowNs(), n));
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

  public ArgsPlan plan() {
    return plan;
  }

  /** How the probes were attached, when it is the fallback ("" for uprobe_multi). */
  public String attachNote() {
    return attachNote;
  }

  /** Delivers pending events, waiting up to {@code timeoutMs}; returns how many were delivered. */
  public int poll(int timeoutMs, Consumer<Event> sink) {
    return poller.poll(timeoutMs, sink);
  }

  /** Everything already in the ring, without waiting. */
  public int drain(Consumer<Event> sink) {
    return poller.drain(sink);
  }

  public long drops() {
    return reader == null ? 0 : reader.drops();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    resources.close();
  }
}
