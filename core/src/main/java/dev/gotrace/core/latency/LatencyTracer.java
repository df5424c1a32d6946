package dev.gotrace.core.latency;

import dev.gotrace.core.decode.Event;

import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.RingPoller;
import dev.gotrace.core.codegen.LatencyProgram;
import dev.gotrace.core.plan.AttachCheck;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.btf.Btf;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.probes.ringbuf.DropCounter;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Latency probes of a plan, attached: owns the three maps, the two programs and their links, and
 * releases all of them in {@link #close()} (also after a failure half-way through
 * {@link #attach}). User space only reads the maps, in {@link #snapshot()}.
 */
public final class LatencyTracer implements AutoCloseable {
  /** Default capacity of the in-flight table ({@code --max-inflight}). */
  public static final int DEFAULT_MAX_INFLIGHT = 65536;
  /** Ring buffer for streamed calls: 8 MiB, about 200,000 records. */
  public static final int RING_BYTES = 8 << 20;

  private final LatencyPlan plan;
  private final KernelResources resources = new KernelResources();
  private final String attachNote;
  private RingBufReader reader;
  private RingPoller<Event.Completed> poller;
  private BpfMap inflight;
  private BpfMap sites;
  private BpfMap hist;
  private BpfMap stats;
  private boolean closed;
  private final long wallOffset = KernelResources.wallClockOffsetNs();


  private LatencyTracer(LatencyPlan plan, String attachNote) {
    this.plan = plan;
    this.attachNote = attachNote;
  }

  /**
   * Checks every entry and exit site against {@code bin}, the binary the plan was made from
   * ({@link AttachCheck}; a failure refuses before anything is loaded), then loads both programs
   * and attaches them.
   *
   * @param kernelPids processes to trace (one link per program each); empty = every process
   *     running the binary
   * @param maxInflight capacity of the LRU table of calls in progress
   */
  public static LatencyTracer attach(LatencyPlan plan, GoBinary bin, List<Integer> kernelPids, int maxInflight) {
    return attach(plan, bin, kernelPids, maxInflight, OptionalLong.empty(), false);
  }

  /**
   * As {@link #attach(LatencyPlan, GoBinary, List, int)}, and with {@code streamMinNs} present every
   * completed call of at least that many ns is also streamed to {@link #poll}.
   */
  public static LatencyTracer attach(LatencyPlan plan, GoBinary bin, List<Integer> kernelPids, int maxInflight,
      OptionalLong streamMinNs) {
    return attach(plan, bin, kernelPids, maxInflight, streamMinNs, false);
  }

  /** As above; with {@code bySite} the kernel also counts each exit site ({@link #siteSnapshot()}). */
  public static LatencyTracer attach(LatencyPlan plan, GoBinary bin, List<Integer> kernelPids, int maxInflight,
      OptionalLong streamMinNs, boolean bySite) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("max in-flight calls must be positive: " + maxInflight);
    }
    AttachCheck.Checked entries = AttachCheck.check(bin, plan.binary(), plan.entryProbes());
    AttachCheck.Checked exits = AttachCheck.check(bin, plan.binary(), plan.exitProbes());
    Uprobes.Choice choice = Uprobes.choose();
    LatencyTracer t = new LatencyTracer(plan, choice.note());
    try {
      OptionalLong fs = plan.g() instanceof GAccess.ThreadLocal
          ? OptionalLong.of(Btf.vmlinux().taskStructFsbaseOffset()) : OptionalLong.empty();
      int n = plan.functions().size();
      t.inflight = t.own(BpfMap.create(MapSpec.lruHash(LatencyProgram.INFLIGHT, LatencyProgram.KEY_SIZE,
          LatencyProgram.VALUE_SIZE, maxInflight)));
      t.hist = t.own(BpfMap.create(MapSpec.perCpuArray(LatencyProgram.HIST, 8, n * LatencyProgram.BUCKETS)));
      t.stats = t.own(BpfMap.create(MapSpec.perCpuArray(LatencyProgram.STATS, 8 * LatencyProgram.STAT_SLOTS, n)));
      Map<String, BpfMap> maps = new java.util.HashMap<>(Map.of(LatencyProgram.INFLIGHT, t.inflight,
          LatencyProgram.HIST, t.hist, LatencyProgram.STATS, t.stats));
      if (bySite) {
        t.sites = t.own(BpfMap.create(MapSpec.perCpuArray(LatencyProgram.SITES, 16, Math.max(1, plan.exitCount()))));
        maps.put(LatencyProgram.SITES, t.sites);
      }
      if (streamMinNs.isPresent()) {
        BpfMap ring = t.own(BpfMap.create(MapSpec.ringBuf(LatencyProgram.EVENTS, RING_BYTES)));
        DropCounter drops = t.own(DropCounter.create(LatencyProgram.DROPS));
        maps.put(LatencyProgram.EVENTS, ring);
        maps.put(LatencyProgram.DROPS, drops.map());
        t.reader = t.own(RingBufReader.open(ring, drops));
        t.poller = new RingPoller<>(t.reader, t::decode, Event.Completed::pid, java.util.Set.of(), t.reader::drops, null);
      }
      LoadedProgram entry = t.own(LoadedProgram.load("gotrace_lat_in", LatencyProgram.entryProbe(plan, fs),
          choice.mode().attachType(), Map.of(LatencyProgram.INFLIGHT, t.inflight, LatencyProgram.STATS, t.stats)));
      LoadedProgram exit = t.own(LoadedProgram.load("gotrace_lat_out", LatencyProgram.exitProbe(plan, fs, streamMinNs, bySite),
          choice.mode().attachType(), maps));
      // exits first: a call that starts once its entry probe is in place is always seen ending
      t.resources.attachEach(exit, exits, kernelPids);
      t.resources.attachEach(entry, entries, kernelPids);
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

  public LatencyPlan plan() {
    return plan;
  }

  /** How the probes were attached, when it is the fallback ("" for uprobe_multi). */
  public String attachNote() {
    return attachNote;
  }

  /**
   * Delivers streamed calls, waiting up to {@code timeoutMs} when there are none; returns how
   * many. Nothing when the tracer does not stream.
   */
  public int poll(int timeoutMs, Consumer<Event.Completed> sink) {
    return poller == null ? 0 : poller.poll(timeoutMs, sink);
  }

  private Optional<Event.Completed> decode(ByteBuffer b) {
    ByteBuffer r = b.order(ByteOrder.LITTLE_ENDIAN);
    long cookie = r.getLong(LatencyProgram.REC_COOKIE);
    int fn = (int) cookie;
    if (fn < 0 || fn >= plan.functions().size()) {
      return Optional.empty();
    }
    LatencyPlan.Function f = plan.functions().get(fn);
    Map.Entry<LatencyPlan.Function, LatencyPlan.Exit> exit = plan.exitAt((int) (cookie >>> 32));
    long site = exit != null && exit.getKey() == f ? exit.getValue().site().address() : 0;
    return Optional.of(new Event.Completed(r.getLong(LatencyProgram.REC_KTIME) + wallOffset,
        (int) (r.getLong(LatencyProgram.REC_PID_TGID) >>> 32), r.getLong(LatencyProgram.REC_GOID), f.name(),
        r.getLong(LatencyProgram.REC_LATENCY), site));
  }

  /**
   * Every streamed call committed to the ring before this call, without waiting; calls the
   * target completes meanwhile are left, so this ends even while the target keeps calling.
   */
  public int drain(Consumer<Event.Completed> sink) {
    return poller == null ? 0 : poller.drain(sink);
  }

  /** Whether completed calls are streamed to {@link #poll}. */
  public boolean streams() {
    return reader != null;
  }

  /** Streamed calls lost to a full ring buffer so far. */
  public long drops() {
    return reader == null ? 0 : reader.drops();
  }

  /**
   * Completed calls per exit site so far (CPUs summed), in plan order; empty unless attached
   * with {@code bySite}.
   */
  public List<SiteLatency> siteSnapshot() {
    List<SiteLatency> out = new ArrayList<>();
    if (sites == null) {
      return out;
    }
    for (int g = 0; g < plan.exitCount(); g++) {
      long count = 0;
      long sum = 0;
      for (byte[] cpu : perCpu(sites, g)) {
        count += le(cpu).getLong(0);
        sum += le(cpu).getLong(8);
      }
      Map.Entry<LatencyPlan.Function, LatencyPlan.Exit> e = plan.exitAt(g);
      out.add(new SiteLatency(e.getKey().name(), e.getValue().site().address(), e.getValue().kind(), count, sum));
    }
    return out;
  }

  /** The kernel's totals so far, one per function in plan order (CPUs summed). */
  public List<FunctionLatency> snapshot() {
    int n = plan.functions().size();
    long[] inFlight = new long[n];
    for (byte[] key : inflight.keys()) {
      Optional<byte[]> v = inflight.lookup(key);
      if (v.isPresent()) {
        long fn = le(v.get()).getLong(8);
        if (fn >= 0 && fn < n) {
          inFlight[(int) fn]++;
        }
      }
    }
    List<FunctionLatency> out = new ArrayList<>();
    for (LatencyPlan.Function f : plan.functions()) {
      long[] buckets = new long[LatencyProgram.BUCKETS];
      for (int b = 0; b < LatencyProgram.BUCKETS; b++) {
        for (byte[] cpu : perCpu(hist, f.index() * LatencyProgram.BUCKETS + b)) {
          buckets[b] += le(cpu).getLong(0);
        }
      }
      long[] s = new long[LatencyProgram.STAT_SLOTS];
      for (byte[] cpu : perCpu(stats, f.index())) {
        ByteBuffer bb = le(cpu);
        for (int i = 0; i < s.length; i++) {
          long v = bb.getLong(i * 8);
          if (i == LatencyProgram.MAX) {
            s[i] = Math.max(s[i], v);
          } else if (i == LatencyProgram.MIN) {
            s[i] = v == 0 ? s[i] : s[i] == 0 ? v : Math.min(s[i], v);
          } else {
            s[i] += v;
          }
        }
      }
      out.add(new FunctionLatency(f.name(),
          new Log2Histogram(buckets, s[LatencyProgram.COUNT], s[LatencyProgram.SUM], s[LatencyProgram.MIN],
              s[LatencyProgram.MAX]),
          s[LatencyProgram.UNMATCHED], s[LatencyProgram.UNEXITED], inFlight[f.index()]));
    }
    return out;
  }

  private static List<byte[]> perCpu(BpfMap map, int index) {
    byte[] key = le(new byte[4]).putInt(0, index).array();
    return map.lookupPerCpu(key).orElse(List.of());
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Detaches the probes (first) and frees the programs and maps. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    resources.close();
  }
}
