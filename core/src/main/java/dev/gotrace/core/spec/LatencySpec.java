package dev.gotrace.core.spec;

import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.agg.SiteLatency;
import dev.gotrace.core.codegen.KeyedAsm;
import dev.gotrace.core.codegen.LatencyProgram;
import dev.gotrace.core.codegen.StackAsm;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.metrics.MetricLabels;
import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.Snapshots;
import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyQuery;
import dev.gotrace.core.profile.StackProfile;
import dev.gotrace.core.stack.GoStack;
import dev.gotrace.core.stack.KernelStack;
import dev.gotrace.core.stack.StackSymbolizer;
import dev.gotrace.core.stack.StackTable;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.core.trace.KernelResources;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapContents;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.maps.MappedArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code gotrace latency} (and {@code top}): an entry program that notes each call in flight and
 * an exit program on every exit site that aggregates in the kernel (log2 histograms and totals
 * per function, optionally per exit site) and, with a threshold, streams
 * {@link Event.Completed}s. User space reads the maps in {@link #functions} and {@link #sites}.
 */
public final class LatencySpec {
  /** Default capacity of the in-flight table ({@code --max-inflight}). */
  public static final int DEFAULT_MAX_INFLIGHT = 65536;
  /**
   * Largest in-flight table: 4 Mi entries. The kernel preallocates an LRU hash, about 80 bytes an
   * entry with its 16-byte key and value, so this is some 340 MB of kernel memory; 2^31 - 1 the kernel
   * refuses with E2BIG (its bucket array would pass 4 GiB).
   */
  public static final int MAX_INFLIGHT = 1 << 22;
  /** Ring buffer for streamed calls: 8 MiB, about 200,000 records. */
  public static final int RING_BYTES = 8 << 20;

  private LatencySpec() {}

  /**
   * The spec of {@code plan}.
   *
   * @param maxInflight capacity of the LRU table of calls in progress
   * @param streamMinNs when present, every completed call of at least that many ns is also streamed
   * @param bySite the kernel also counts each exit site ({@link #sites})
   */
  public static TraceSpec of(LatencyPlan plan, int maxInflight, OptionalLong streamMinNs, boolean bySite) {
    return of(plan, maxInflight, streamMinNs, bySite, Optional.empty(), null);
  }

  /**
   * With {@code --stack}: the entry walks the stack ({@code stack}'s starts by function index) into
   * map {@link StackAsm#STACKS}, the in-flight value keeps its id, and each streamed call carries
   * it, symbolised through {@code bin}'s pclntab.
   */
  public static TraceSpec of(LatencyPlan plan, int maxInflight, OptionalLong streamMinNs, boolean bySite,
      Optional<Unwinding> stack, GoBinary bin) {
    return of(plan, maxInflight, streamMinNs, bySite, stack, false, bin);
  }

  /**
   * As {@link #of(LatencyPlan, int, OptionalLong, boolean, Optional, GoBinary)}; with {@code
   * perStack} ({@code latency --stacks}, which needs {@code stack} and no {@code --by}) the exit
   * also counts the calls per (function, stack id) in the keyed map, read by {@link #stacks}.
   */
  public static TraceSpec of(LatencyPlan plan, int maxInflight, OptionalLong streamMinNs, boolean bySite,
      Optional<Unwinding> stack, boolean perStack, GoBinary bin) {
    if (maxInflight < 1 || maxInflight > MAX_INFLIGHT) {
      throw new IllegalArgumentException("max in-flight calls out of 1.." + MAX_INFLIGHT + ": " + maxInflight);
    }
    OptionalLong fs = FsBase.forG(plan.g());
    int n = plan.functions().size();
    int valueSize = LatencyProgram.inflightValueSize(plan, stack.isPresent());
    List<MapSpec> maps = new ArrayList<>(List.of(
        MapSpec.lruHash(LatencyProgram.INFLIGHT, LatencyProgram.KEY_SIZE, valueSize, maxInflight),
        MapSpec.mmapableArray(LatencyProgram.HIST, 8, n * LatencyProgram.BUCKETS),
        MapSpec.mmapableArray(LatencyProgram.STATS, 8 * LatencyProgram.STAT_SLOTS, n)));
    List<String> exitMaps = new ArrayList<>(List.of(LatencyProgram.INFLIGHT, LatencyProgram.HIST, LatencyProgram.STATS));
    if (perStack || plan.query().isPresent() && plan.query().get().keyed()) {
      int keySize = perStack ? LatencyProgram.STACK_KEY_SIZE : plan.query().get().keySize();
      int maxKeys = perStack ? STACK_ROWS : plan.query().get().maxKeys();
      maps.add(MapSpec.hash(KeyedAsm.BYKEY, keySize, KeyedAsm.VALUE_SIZE, maxKeys));
      maps.add(MapSpec.mmapableArray(KeyedAsm.BYOTHER, KeyedAsm.VALUE_SIZE, n));
      maps.add(MapSpec.array(KeyedAsm.BYZERO, KeyedAsm.VALUE_SIZE, 1));
      exitMaps.addAll(List.of(KeyedAsm.BYKEY, KeyedAsm.BYOTHER, KeyedAsm.BYZERO));
    }
    if (bySite) {
      maps.add(MapSpec.mmapableArray(LatencyProgram.SITES, 16, Math.max(1, plan.exitCount())));
      exitMaps.add(LatencyProgram.SITES);
    }
    Optional<TraceSpec.Ring> ring = Optional.empty();
    if (streamMinNs.isPresent()) {
      maps.add(MapSpec.ringBuf(LatencyProgram.EVENTS, RING_BYTES));
      exitMaps.add(LatencyProgram.EVENTS);
      exitMaps.add(LatencyProgram.DROPS);
      ring = Optional.of(new TraceSpec.Ring(LatencyProgram.EVENTS, LatencyProgram.DROPS));
    }
    List<String> entryMaps = new ArrayList<>(List.of(LatencyProgram.INFLIGHT, LatencyProgram.STATS));
    if (stack.isPresent()) {
      maps.addAll(StackAsm.maps(stack.get().depth(), StackAsm.DEFAULT_CAPACITY));
      entryMaps.addAll(List.of(StackAsm.STACKS, StackAsm.STACKBUF));
    }
    // exits first: a call that starts once its entry probe is in place is always seen ending
    TraceSpec.Probes exit = new TraceSpec.Probes("gotrace_lat_out",
        LatencyProgram.exitProbe(plan, fs, streamMinNs, bySite, RING_BYTES, stack.isPresent(), perStack), exitMaps,
        plan.exitProbes());
    TraceSpec.Probes entry = new TraceSpec.Probes("gotrace_lat_in", LatencyProgram.entryProbe(plan, fs, stack),
        entryMaps, plan.entryProbes());
    List<LatencyPlan.FunctionExit> exits = plan.exitsInOrder();
    return new TraceSpec(plan.binary(), maps, List.of(exit, entry), ring, () -> {
      long wallOffset = KernelResources.wallClockOffsetNs();
      if (stack.isEmpty()) {
        return b -> decode(plan, exits, b, wallOffset, null);
      }
      StackTable table = new StackTable(new StackSymbolizer(bin));
      return new StackDecoder(table, b -> decode(plan, exits, b, wallOffset, table));
    }, false);
  }

  private static Optional<Event> decode(LatencyPlan plan, List<LatencyPlan.FunctionExit> exits, ByteBuffer b,
      long wallOffset, StackTable stacks) {
    ByteBuffer r = b.order(ByteOrder.LITTLE_ENDIAN);
    long cookie = r.getLong(LatencyProgram.REC_COOKIE);
    int fn = (int) cookie;
    if (fn < 0 || fn >= plan.functions().size()) {
      return Optional.empty();
    }
    LatencyPlan.Function f = plan.functions().get(fn);
    int g = LatencyPlan.exitOf(cookie);
    LatencyPlan.FunctionExit exit = g >= 0 && g < exits.size() ? exits.get(g) : null;
    long site = exit != null && exit.function() == f ? exit.exit().site().address() : 0;
    return Optional.of(new Event.Completed(r.getLong(LatencyProgram.REC_KTIME) + wallOffset,
        (int) (r.getLong(LatencyProgram.REC_PID_TGID) >>> 32), r.getLong(LatencyProgram.REC_GOID), f.name(), f.entry().address(),
        r.getLong(LatencyProgram.REC_LATENCY), site,
        stacks != null && r.remaining() >= LatencyProgram.REC_SIZE_WITH_STACK
            ? stacks.stackProbedAt(r.getLong(LatencyProgram.REC_STACK), f.entry().address()) : GoStack.NONE));
  }

  /** The exported label name of each of the plan's {@code --by} parts (empty without --by). */
  public static List<String> keyLabels(LatencyPlan plan) {
    return plan.query().filter(LatencyQuery::keyed).map(q -> MetricLabels.keyNames(q.question())).orElse(List.of());
  }

  /**
   * What latency exports now ({@code --prometheus}, {@code --otlp}, {@code gotrace serve}): the
   * totals of {@link #functions}, the keyed rows of {@link #keyed} and the ring's drops. Only the
   * thread that owns {@code session} may call it (through a {@code SnapshotExchange}).
   */
  public static MetricsSnapshot snapshot(Session session, LatencyPlan plan, TargetInfo target) {
    return Snapshots.latency(target, keyLabels(plan), functions(session, plan), keyed(session, plan), session.drops());
  }

  /**
   * The kernel's keyed totals so far ({@code --by}): one per (function, key) of the hash map, read
   * in a batched lookup, and an {@code (other)} one per function whose calls found the map full;
   * empty without {@code --by}.
   */
  public static List<KeyedLatency> keyed(Session session, LatencyPlan plan) {
    List<KeyedLatency> out = new ArrayList<>();
    Optional<BpfMap> bykey = session.map(KeyedAsm.BYKEY);
    if (bykey.isEmpty() || plan.query().isEmpty() || !plan.query().get().keyed()) {
      return out;
    }
    LatencyQuery q = plan.query().get();
    MapContents keys = bykey.get().contents();
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = keys.key(i);
      int fn = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
      if (fn < 0 || fn >= plan.functions().size()) {
        continue;
      }
      LatencyPlan.Function f = plan.functions().get(fn);
      long[] slots = new long[KeyedAsm.SLOTS];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = keys.valueU64(i, 0, s * 8);
      }
      out.add(new KeyedLatency(f.name(), f.entry().address(), q.keysOf(fn).decode(key), false, histogram(slots)));
    }
    MappedArray other = session.map(KeyedAsm.BYOTHER).orElseThrow().mapped();
    for (LatencyPlan.Function f : plan.functions()) {
      if (other.u64(f.index(), KeyedAsm.COUNT * 8) == 0) {
        continue;
      }
      long[] slots = new long[KeyedAsm.SLOTS];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = other.u64(f.index(), s * 8);
      }
      out.add(new KeyedLatency(f.name(), f.entry().address(), List.of(), true, histogram(slots)));
    }
    return out;
  }

  /**
   * The kernel's per-stack totals so far ({@code --stacks}): one sample per (function, stack id)
   * row of the keyed map, its stack read from the stack map and symbolised (the load bias of a
   * stack is its first PC, the entry probe's run-time address, less the probe's link-time one);
   * a call whose stack found the stack map full, or whose row found the keyed map full, is a
   * sample with a {@link GoStack.End#MAP_FULL} stack. Empty without per-stack counting.
   */
  public static StackProfile stacks(Session session, LatencyPlan plan, StackSymbolizer symbols) {
    List<StackProfile.Sample> out = new ArrayList<>();
    Optional<BpfMap> bykey = session.map(KeyedAsm.BYKEY);
    Optional<BpfMap> stackMap = session.map(StackAsm.STACKS);
    if (bykey.isEmpty() || stackMap.isEmpty() || bykey.get().spec().keySize() != LatencyProgram.STACK_KEY_SIZE) {
      return new StackProfile(out);
    }
    MapContents rows = bykey.get().contents();
    Map<Long, KernelStack> kernel = new HashMap<>();
    MapContents stored = stackMap.get().contents();
    for (int i = 0; i < stored.size(); i++) {
      byte[] value = new byte[stackMap.get().spec().valueSize()];
      for (int w = 0; w + 8 <= value.length; w += 8) {
        ByteBuffer.wrap(value, w, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(stored.valueU64(i, 0, w));
      }
      kernel.put(ByteBuffer.wrap(stored.key(i)).order(ByteOrder.LITTLE_ENDIAN).getLong(0), KernelStack.parse(value));
    }
    for (int i = 0; i < rows.size(); i++) {
      ByteBuffer key = ByteBuffer.wrap(rows.key(i)).order(ByteOrder.LITTLE_ENDIAN);
      int fn = key.getInt(0);
      if (fn < 0 || fn >= plan.functions().size()) {
        continue;
      }
      LatencyPlan.Function f = plan.functions().get(fn);
      KernelStack k = kernel.get(key.getLong(8));
      GoStack stack = k == null || k.depth() == 0 ? StackSymbolizer.mapFull()
          : symbols.symbolize(k, k.pc(0) - f.entry().address());
      long[] slots = new long[KeyedAsm.SLOTS];
      for (int s = 0; s < slots.length; s++) {
        slots[s] = rows.valueU64(i, 0, s * 8);
      }
      out.add(new StackProfile.Sample(f.name(), stack, histogram(slots)));
    }
    MappedArray other = session.map(KeyedAsm.BYOTHER).orElseThrow().mapped();
    for (LatencyPlan.Function f : plan.functions()) {
      if (other.u64(f.index(), KeyedAsm.COUNT * 8) > 0) {
        long[] slots = new long[KeyedAsm.SLOTS];
        for (int s = 0; s < slots.length; s++) {
          slots[s] = other.u64(f.index(), s * 8);
        }
        out.add(new StackProfile.Sample(f.name(), StackSymbolizer.mapFull(), histogram(slots)));
      }
    }
    return new StackProfile(out);
  }

  /** Distinct (function, stack) rows the keyed map holds with {@code --stacks}; past them, calls count as map-full. */
  public static final int STACK_ROWS = StackAsm.DEFAULT_CAPACITY;

  /** A keyed value's {count, sum, max, min, buckets} as a histogram. */
  private static Log2Histogram histogram(long[] slots) {
    long[] buckets = Arrays.copyOfRange(slots, KeyedAsm.FIRST_BUCKET, KeyedAsm.FIRST_BUCKET
        + LatencyProgram.BUCKETS);
    return new Log2Histogram(buckets, slots[KeyedAsm.COUNT], slots[KeyedAsm.SUM], slots[KeyedAsm.MIN],
        slots[KeyedAsm.MAX]);
  }

  /**
   * Completed calls per exit site so far, in plan order; empty unless the spec was made with
   * {@code bySite}.
   */
  public static List<SiteLatency> sites(Session session, LatencyPlan plan) {
    List<SiteLatency> out = new ArrayList<>();
    Optional<BpfMap> sites = session.map(LatencyProgram.SITES);
    if (sites.isEmpty()) {
      return out;
    }
    MappedArray rows = sites.get().mapped();
    List<LatencyPlan.FunctionExit> exits = plan.exitsInOrder();
    for (int g = 0; g < exits.size() && g < rows.entries(); g++) {
      LatencyPlan.FunctionExit e = exits.get(g);
      out.add(new SiteLatency(e.function().name(), e.function().entry().address(), e.exit().site().address(),
          e.exit().kind(), rows.u64(g, 0), rows.u64(g, 8)));
    }
    return out;
  }

  /**
   * Completed calls so far over all functions: the kernel's count slot of each function, read
   * from the mapped stats array (no walk of the in-flight table, no histogram read), for
   * {@code --count}'s check.
   */
  public static long completed(Session session, LatencyPlan plan) {
    MappedArray stats = session.map(LatencyProgram.STATS).orElseThrow().mapped();
    long n = 0;
    for (int i = 0; i < stats.entries(); i++) {
      n += stats.u64(i, LatencyProgram.COUNT * 8);
    }
    return n;
  }

  /**
   * The kernel's totals so far, one per function in plan order: the stats and histograms read
   * through {@code mmap} (memory loads; a histogram row only for a function with calls, so only
   * those pages are touched) and the in-flight table in a batched read.
   */
  public static List<FunctionLatency> functions(Session session, LatencyPlan plan) {
    int n = plan.functions().size();
    long[] inFlight = new long[n];
    MapContents inflight = session.map(LatencyProgram.INFLIGHT).orElseThrow().contents();
    for (int i = 0; i < inflight.size(); i++) {
      long fn = inflight.valueU64(i, 0, 8);
      if (fn >= 0 && fn < n) {
        inFlight[(int) fn]++;
      }
    }
    MappedArray hist = session.map(LatencyProgram.HIST).orElseThrow().mapped();
    MappedArray stats = session.map(LatencyProgram.STATS).orElseThrow().mapped();
    List<FunctionLatency> out = new ArrayList<>(n);
    long[] buckets = new long[LatencyProgram.BUCKETS];
    for (LatencyPlan.Function f : plan.functions()) {
      int i = f.index();
      long count = stats.u64(i, LatencyProgram.COUNT * 8);
      Log2Histogram h = Log2Histogram.EMPTY;
      if (count > 0) {
        for (int b = 0; b < LatencyProgram.BUCKETS; b++) {
          buckets[b] = hist.u64(i * LatencyProgram.BUCKETS + b, 0);
        }
        h = new Log2Histogram(buckets, count, stats.u64(i, LatencyProgram.SUM * 8),
            stats.u64(i, LatencyProgram.MIN * 8), stats.u64(i, LatencyProgram.MAX * 8));
      }
      out.add(new FunctionLatency(f.name(), f.entry().address(), h, stats.u64(i, LatencyProgram.UNMATCHED * 8),
          stats.u64(i, LatencyProgram.UNEXITED * 8), inFlight[i]));
    }
    return out;
  }
}
