package dev.gotrace.probes.vm;

import dev.gotrace.probes.maps.MapSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ring buffer ({@code kernel/bpf/ringbuf.c}): a reservation takes an 8-byte header plus the
 * record rounded up to 8 bytes, and fails (NULL) when that passes the unconsumed space or flags
 * are not 0. Submitted records wait in {@link #records} until the test {@link #drain}s them, which
 * frees their space as the reader's consumer position would; discarded ones free it at once.
 */
public final class VmRing implements VmMap {
  /** {@code BPF_RB_FORCE_WAKEUP}; {@code bpf_ringbuf_query} flags. */
  private static final long FORCE_WAKEUP = 2, AVAIL_DATA = 0, RING_SIZE = 1, CONS_POS = 2, PROD_POS = 3;
  private static final int HEADER = 8;

  private final MapSpec spec;
  private final AddressSpace space;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private final List<byte[]> records = new ArrayList<>();
  private long produced;
  private long consumed;
  private long waitingBytes;
  private int forcedWakeups;

  private record Pending(Region region, int pc) {}

  VmRing(MapSpec spec, AddressSpace space) {
    this.spec = spec;
    this.space = space;
  }

  @Override
  public MapSpec spec() {
    return spec;
  }

  @Override
  public String kind() {
    return "ring buffer " + spec.name();
  }

  /** Copies of the records submitted and not yet drained, in submission order. */
  public List<byte[]> records() {
    return records.stream().map(byte[]::clone).toList();
  }

  /** The records submitted since the last drain; their space is free again. */
  public List<byte[]> drain() {
    List<byte[]> out = records();
    records.clear();
    consumed += waitingBytes;
    waitingBytes = 0;
    return out;
  }

  /** How many submissions asked for BPF_RB_FORCE_WAKEUP. */
  public int forcedWakeups() {
    return forcedWakeups;
  }

  private static long footprint(long size) {
    return HEADER + (size + 7) / 8 * 8;
  }

  /** {@code bpf_ringbuf_reserve} at instruction {@code pc}: the record's address, or 0. */
  long reserve(long size, long flags, int pc) {
    if (flags != 0 || size < 0 || footprint(size) > spec.maxEntries() - (produced - consumed)) {
      return 0;
    }
    Region r = space.allocate("a record of ring buffer " + spec.name(), (int) size, (int) size, 1, true);
    produced += footprint(size);
    pending.put(r.base, new Pending(r, pc));
    return r.base;
  }

  /** Whether {@code addr} is the start of a record reserved and not yet released. */
  boolean reserved(long addr) {
    return pending.containsKey(addr);
  }

  /** {@code bpf_ringbuf_submit} or {@code bpf_ringbuf_discard} of the record at {@code addr}. */
  void release(long addr, long flags, boolean discard) {
    Pending p = pending.remove(addr);
    if (p == null) {
      throw new Fault("R1 (0x" + Long.toHexString(addr) + ") is not the start of a reserved ring-buffer record");
    }
    p.region.live = false;
    long bytes = footprint(p.region.bytes.length);
    if (discard) {
      consumed += bytes;
    } else {
      records.add(p.region.bytes.clone());
      waitingBytes += bytes;
    }
    if ((flags & FORCE_WAKEUP) != 0) {
      forcedWakeups++;
    }
  }

  /** {@code bpf_ringbuf_output}: 0, or -EAGAIN when there is no room. */
  long output(byte[] data, long flags) {
    if (flags > 3) {
      return Errno.EINVAL;
    }
    if (footprint(data.length) > spec.maxEntries() - (produced - consumed)) {
      return Errno.EAGAIN;
    }
    produced += footprint(data.length);
    waitingBytes += footprint(data.length);
    records.add(data.clone());
    if ((flags & FORCE_WAKEUP) != 0) {
      forcedWakeups++;
    }
    return 0;
  }

  /** {@code bpf_ringbuf_query}. */
  long query(long flags) {
    if (flags == AVAIL_DATA) {
      return produced - consumed;
    } else if (flags == RING_SIZE) {
      return spec.maxEntries();
    } else if (flags == CONS_POS) {
      return consumed;
    } else if (flags == PROD_POS) {
      return produced;
    }
    return 0;
  }

  /** A Fault for a record still reserved when the program exits, or nothing. */
  void checkReleased() {
    for (Pending p : pending.values()) {
      throw new Fault("exits with the ring-buffer record reserved at insn " + p.pc
          + " neither submitted nor discarded (the verifier refuses: unreleased reference)");
    }
  }

  /** Forgets the records of a run that failed, so that the next run starts clean. */
  void abandon() {
    for (Pending p : pending.values()) {
      p.region.live = false;
      produced -= footprint(p.region.bytes.length);
    }
    pending.clear();
  }
}
