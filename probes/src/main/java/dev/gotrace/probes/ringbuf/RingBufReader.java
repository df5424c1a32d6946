package dev.gotrace.probes.ringbuf;

import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapType;
import dev.gotrace.probes.sys.Epoll;
import dev.gotrace.probes.sys.Mapping;
import dev.gotrace.probes.sys.Sys;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Consumes a BPF ring buffer through shared memory. {@link #drain} hands every committed record
 * to a handler without blocking; {@link #poll} waits in {@code epoll} only when the ring is empty.
 * Not thread-safe: one consumer thread per ring, as the kernel protocol assumes.
 */
public final class RingBufReader implements AutoCloseable {
  /** Header bit 31: reserved, not yet committed. */
  public static final int BUSY_BIT = 0x80000000;
  /** Header bit 30: discarded by the producer; skip. */
  public static final int DISCARD_BIT = 0x40000000;
  private static final int LEN_MASK = 0x3fffffff;
  private static final int HEADER = 8;
  /** Records one {@link #poll} delivers at most. */
  public static final int POLL_BATCH = 16_384;
  /** How many records are consumed before consumer_pos is published mid-batch. */
  private static final int RELEASE_EVERY = 64;

  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final BpfMap ring;
  private final DropCounter drops;
  private final Mapping consumerMap;
  private final Mapping producerMap;
  private final Epoll epoll;
  private final ByteBuffer consumer;
  private final ByteBuffer producer;
  private final int page;
  private final long mask;
  private long records;
  private long discarded;

  private RingBufReader(BpfMap ring, DropCounter drops, Mapping consumerMap, Mapping producerMap,
      Epoll epoll, int page) {
    this.ring = ring;
    this.drops = drops;
    this.consumerMap = consumerMap;
    this.producerMap = producerMap;
    this.epoll = epoll;
    this.page = page;
    this.consumer = consumerMap.buffer();
    this.producer = producerMap.buffer();
    this.mask = ring.spec().maxEntries() - 1L;
  }

  /**
   * Maps {@code ring} for reading. {@code drops} (may be null) is the counter its producers
   * increment when a reservation fails. The reader does not own either map.
   */
  public static RingBufReader open(BpfMap ring, DropCounter drops) {
    if (ring.spec().type() != MapType.RINGBUF) {
      throw new IllegalArgumentException(ring + " is not a ring buffer");
    }
    int page = Sys.pageSize();
    long size = ring.spec().maxEntries();
    Mapping cons = null;
    Mapping prod = null;
    Epoll ep = null;
    try {
      cons = Mapping.map(ring.fd(), 0, page, true, "ring buffer " + ring.name() + " consumer page");
      prod = Mapping.map(ring.fd(), page, page + 2 * size, false,
          "ring buffer " + ring.name() + " producer page and data");
      ep = Epoll.create();
      ep.add(ring.fd());
      return new RingBufReader(ring, drops, cons, prod, ep, page);
    } catch (RuntimeException e) {
      for (AutoCloseable c : new AutoCloseable[] {ep, prod, cons}) {
        if (c != null) {
          try {
            c.close();
          } catch (Exception s) {
            e.addSuppressed(s);
          }
        }
      }
      throw e;
    }
  }

  /**
   * Hands the records committed before this call to {@code handler}, in ring order, and stops at
   * the first record still being written (busy), at the producer position read on entry, or when
   * the ring is empty. Returns the number of records delivered. Records committed during the call
   * are left for the next one, so a caller whose producers write faster than it reads still gets
   * control back (to honour a deadline or a stop request) instead of draining forever.
   */
  public int drain(RecordHandler handler) {
    return drain(handler, Integer.MAX_VALUE);
  }

  /** Like {@link #drain(RecordHandler)}, delivering at most {@code max} records. */
  public int drain(RecordHandler handler, int max) {
    long cons = (long) LONGS.getAcquire(consumer, 0);
    long prod = (long) LONGS.getAcquire(producer, 0);
    int delivered = 0;
    int sinceRelease = 0;
    try {
      while (cons < prod && delivered < max) {
        int at = page + (int) (cons & mask);
        int header = (int) INTS.getAcquire(producer, at);
        if ((header & BUSY_BIT) != 0) {
          break;
        }
        int len = header & LEN_MASK;
        // Advance first: a handler that throws has still consumed its record.
        cons += (len + HEADER + 7) & ~7L;
        if ((header & DISCARD_BIT) == 0) {
          records++;
          delivered++;
          handler.onRecord(producer.slice(at + HEADER, len).order(ByteOrder.nativeOrder()));
        } else {
          discarded++;
        }
        if (++sinceRelease == RELEASE_EVERY) {
          LONGS.setRelease(consumer, 0, cons);
          sinceRelease = 0;
        }
      }
    } finally {
      if (sinceRelease > 0) {
        LONGS.setRelease(consumer, 0, cons);
      }
    }
    return delivered;
  }

  /**
   * Drains at most {@link #POLL_BATCH} records; when nothing was ready, waits up to
   * {@code timeoutMs} (−1 = forever) for the kernel's wakeup and drains again. Returns the number
   * of records delivered. The batch bounds the time between the caller's checks of its deadline
   * or stop request when the producers outpace it.
   */
  public int poll(int timeoutMs, RecordHandler handler) {
    int n = drain(handler, POLL_BATCH);
    if (n > 0) {
      return n;
    }
    if (epoll.await(timeoutMs) > 0) {
      n = drain(handler, POLL_BATCH);
    }
    return n;
  }

  /** Where the producers will write next: a byte position that only grows. */
  public long producerPosition() {
    return (long) LONGS.getAcquire(producer, 0);
  }

  /** Where this reader reads next: a byte position that only grows, up to the producers'. */
  public long consumerPosition() {
    return (long) LONGS.getAcquire(consumer, 0);
  }

  /** Bytes written by producers and not yet consumed. */
  public long pending() {
    return (long) LONGS.getAcquire(producer, 0) - (long) LONGS.getAcquire(consumer, 0);
  }

  /** Records delivered so far. */
  public long records() {
    return records;
  }

  /** Records the producers discarded (skipped by this reader). */
  public long discarded() {
    return discarded;
  }

  /** Records lost because the ring was full, counted in the kernel; 0 without a counter. */
  public long drops() {
    return drops == null ? 0 : drops.total();
  }

  public BpfMap ring() {
    return ring;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (AutoCloseable c : new AutoCloseable[] {epoll, producerMap, consumerMap}) {
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
}
