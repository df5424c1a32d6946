package dev.gotrace.probes.ringbuf;

import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapType;
import dev.gotrace.probes.sys.Epoll;
import dev.gotrace.probes.sys.Mapping;
import dev.gotrace.probes.sys.Sys;

/**
 * Consumes a BPF ring buffer through shared memory. {@link #drain} hands every committed record
 * to a handler without blocking; {@link #poll} drains a batch, and when the ring was empty waits
 * in {@code epoll} for at most {@link #MAX_WAIT_MS} and drains again. The wait is bounded because
 * gotrace's programs commit without waking the reader until the ring is an eighth full
 * ({@link RingBufAsm#submitQuietly}): a record written to a quiet ring is found by the timeout.
 * Not thread-safe: one consumer thread per ring, as the kernel protocol assumes.
 */
public final class RingBufReader implements AutoCloseable {
  /** Header bit 31: reserved, not yet committed. */
  public static final int BUSY_BIT = RingCursor.BUSY_BIT;
  /** Header bit 30: discarded by the producer; skip. */
  public static final int DISCARD_BIT = RingCursor.DISCARD_BIT;
  /** Records one {@link #poll} delivers at most. */
  public static final int POLL_BATCH = 16_384;
  /**
   * The longest one {@link #poll} waits in {@code epoll}: how late a record committed without a
   * wakeup can be seen on an otherwise idle ring.
   */
  public static final int MAX_WAIT_MS = 50;

  private final BpfMap ring;
  private final DropCounter drops;
  private final Mapping consumerMap;
  private final Mapping producerMap;
  private final Epoll epoll;
  private final RingCursor cursor;

  private RingBufReader(BpfMap ring, DropCounter drops, Mapping consumerMap, Mapping producerMap,
      Epoll epoll, int page) {
    this.ring = ring;
    this.drops = drops;
    this.consumerMap = consumerMap;
    this.producerMap = producerMap;
    this.epoll = epoll;
    this.cursor = new RingCursor(consumerMap.buffer(), producerMap.buffer(), page, ring.spec().maxEntries());
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
    return cursor.drain(handler, max);
  }

  /**
   * Drains at most {@link #POLL_BATCH} records; when nothing was ready, waits up to
   * {@code timeoutMs} (−1 = no limit of the caller's), never more than {@link #MAX_WAIT_MS}, for
   * the kernel's wakeup, and drains again whether or not one came (records committed without a
   * wakeup are found this way). Returns the number of records delivered: 0 when the wait ended
   * with the ring still empty, possibly before {@code timeoutMs}. The batch bounds the time
   * between the caller's checks of its deadline or stop request when the producers outpace it.
   */
  public int poll(int timeoutMs, RecordHandler handler) {
    int n = cursor.drain(handler, POLL_BATCH);
    if (n > 0 || timeoutMs == 0) {
      return n;
    }
    epoll.await(timeoutMs < 0 ? MAX_WAIT_MS : Math.min(timeoutMs, MAX_WAIT_MS));
    return cursor.drain(handler, POLL_BATCH);
  }

  /**
   * Whether the ring's epoll reports it ready right now, without waiting: true after a producer's
   * wakeup (and, epoll being level-triggered, while records stay after that); false for records
   * committed with {@code BPF_RB_NO_WAKEUP} alone. For tests of the producers' wake-up policy.
   */
  boolean signalled() {
    return epoll.await(0) > 0;
  }

  /** Where the producers will write next: a byte position that only grows. */
  public long producerPosition() {
    return cursor.producerPosition();
  }

  /** Where this reader reads next: a byte position that only grows, up to the producers'. */
  public long consumerPosition() {
    return cursor.consumerPosition();
  }

  /** Bytes written by producers and not yet consumed. */
  public long pending() {
    return cursor.producerPosition() - cursor.consumerPosition();
  }

  /** Records delivered so far. */
  public long records() {
    return cursor.records();
  }

  /** Records the producers discarded (skipped by this reader). */
  public long discarded() {
    return cursor.discarded();
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
