package dev.gotrace.probes.ringbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The consumer's half of the ring-buffer protocol over two buffers: the consumer page (its first
 * word is {@code consumer_pos}, written here) and the producer page followed by the data area
 * mapped twice ({@code producer_pos} at 0, the data at {@code dataOffset}). It knows nothing of
 * file descriptors, so it runs over the kernel's mappings ({@link RingBufReader}) as over any
 * direct buffers laid out the same way. Not thread-safe: one consumer per ring.
 */
final class RingCursor {
  /** Header bit 31: reserved, not yet committed. */
  static final int BUSY_BIT = 0x80000000;
  /** Header bit 30: discarded by the producer; skip. */
  static final int DISCARD_BIT = 0x40000000;
  static final int HEADER = 8;
  private static final int LEN_MASK = 0x3fffffff;
  /** How many records are consumed before consumer_pos is published mid-batch. */
  static final int RELEASE_EVERY = 64;

  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final ByteBuffer consumer;
  private final ByteBuffer producer;
  private final int dataOffset;
  private final long mask;
  private long records;
  private long discarded;

  /**
   * @param size the data area's size, a power of two; {@code producer} holds
   *     {@code dataOffset + 2 * size} bytes
   */
  RingCursor(ByteBuffer consumer, ByteBuffer producer, int dataOffset, long size) {
    if (Long.bitCount(size) != 1 || producer.capacity() < dataOffset + 2 * size) {
      throw new IllegalArgumentException("ring of " + size + " bytes at " + dataOffset
          + " does not fit a producer buffer of " + producer.capacity());
    }
    this.consumer = consumer;
    this.producer = producer;
    this.dataOffset = dataOffset;
    this.mask = size - 1;
  }

  /**
   * Hands at most {@code max} records committed before this call to {@code handler}, in ring
   * order; stops at the first record still being written (busy) or at the producer position read
   * on entry. Publishes {@code consumer_pos} every {@link #RELEASE_EVERY} records and on return,
   * so producers get space back during a long batch. Returns the records delivered.
   */
  int drain(RecordHandler handler, int max) {
    long cons = (long) LONGS.getAcquire(consumer, 0);
    long prod = (long) LONGS.getAcquire(producer, 0);
    int delivered = 0;
    int sinceRelease = 0;
    try {
      while (cons < prod && delivered < max) {
        int at = dataOffset + (int) (cons & mask);
        int header = (int) INTS.getAcquire(producer, at);
        if ((header & BUSY_BIT) != 0) {
          break;
        }
        int len = header & LEN_MASK;
        // Advance first: a handler that throws has still consumed its record (published below).
        cons += (len + HEADER + 7) & ~7L;
        sinceRelease++;
        if ((header & DISCARD_BIT) == 0) {
          records++;
          delivered++;
          handler.onRecord(producer.slice(at + HEADER, len).order(ByteOrder.nativeOrder()));
        } else {
          discarded++;
        }
        if (sinceRelease == RELEASE_EVERY) {
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

  long producerPosition() {
    return (long) LONGS.getAcquire(producer, 0);
  }

  long consumerPosition() {
    return (long) LONGS.getAcquire(consumer, 0);
  }

  long records() {
    return records;
  }

  long discarded() {
    return discarded;
  }
}
