package dev.gotrace.probes.ringbuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The consumer protocol over a ring laid out as the kernel maps it (consumer page; producer page
 * then the data area twice), written here by a fake producer: batches, busy and discarded
 * records, wrap-around, and consumer_pos published as records are consumed. No root.
 */
class RingCursorTest {
  private static final int PAGE = 4096;

  /** A producer writing records the way kernel/bpf/ringbuf.c lays them out. */
  static final class FakeRing {
    final int size;
    final ByteBuffer consumer = ByteBuffer.allocateDirect(PAGE).order(ByteOrder.nativeOrder());
    final ByteBuffer producer;
    long prod;

    FakeRing(int size) {
      this.size = size;
      this.producer = ByteBuffer.allocateDirect(PAGE + 2 * size).order(ByteOrder.nativeOrder());
    }

    RingCursor cursor() {
      return new RingCursor(consumer, producer, PAGE, size);
    }

    /** Appends a record of {@code payload} with header flags {@code flags}; returns its position. */
    long write(byte[] payload, int flags) {
      long at = prod;
      long free = size - (prod - consumer.getLong(0));
      int total = (payload.length + RingCursor.HEADER + 7) & ~7;
      if (total > free) {
        throw new IllegalStateException("fake ring full");
      }
      put(at, payload.length | flags);
      for (int i = 0; i < payload.length; i++) {
        putByte(at + RingCursor.HEADER + i, payload[i]);
      }
      prod += total;
      producer.putLong(0, prod);
      return at;
    }

    /** Commits a record written busy: clears its busy bit. */
    void commit(long at) {
      int h = producer.getInt(PAGE + (int) (at & (size - 1)));
      put(at, h & ~RingCursor.BUSY_BIT);
    }

    private void put(long pos, int header) {
      for (int i = 0; i < 4; i++) {
        putByte(pos + i, (byte) (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? header >>> (8 * i) : header >>> (24 - 8 * i)));
      }
    }

    // the data area is mapped twice: every byte appears at i and at i + size
    private void putByte(long pos, byte b) {
      int i = (int) (pos & (size - 1));
      producer.put(PAGE + i, b);
      producer.put(PAGE + i + size, b);
    }
  }

  private static byte[] rec(long v) {
    return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(v).putLong(~v).array();
  }

  private static List<Long> firstWords(RingCursor c, int max) {
    List<Long> got = new ArrayList<>();
    c.drain(b -> {
      assertEquals(16, b.remaining());
      long v = b.getLong(0);
      assertEquals(~v, b.getLong(8), "payload intact");
      got.add(v);
    }, max);
    return got;
  }

  @Test
  void deliversInBatchesInOrderAndReleasesSpace() {
    FakeRing r = new FakeRing(PAGE);
    RingCursor c = r.cursor();
    for (int i = 0; i < 100; i++) {
      r.write(rec(i), 0);
    }
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L), firstWords(c, 16));
    assertEquals(16 * 24, c.consumerPosition(), "consumer_pos published after the batch");
    List<Long> rest = firstWords(c, Integer.MAX_VALUE);
    assertEquals(84, rest.size());
    assertEquals(16L, rest.get(0));
    assertEquals(99L, rest.get(83));
    assertEquals(r.prod, c.consumerPosition());
    assertEquals(100, c.records());
    assertEquals(List.of(), firstWords(c, 16), "empty ring: nothing, no wait");
  }

  @Test
  void publishesConsumerPositionDuringALongBatch() {
    FakeRing r = new FakeRing(PAGE);
    RingCursor c = r.cursor();
    for (int i = 0; i < 150; i++) {
      r.write(rec(i), 0);
    }
    long[] seenAt65 = {-1};
    int[] n = {0};
    c.drain(b -> {
      if (++n[0] == RingCursor.RELEASE_EVERY + 1) {
        seenAt65[0] = r.consumer.getLong(0);
      }
    }, Integer.MAX_VALUE);
    assertEquals(RingCursor.RELEASE_EVERY * 24L, seenAt65[0], "space handed back to producers mid-batch");
    assertEquals(150, n[0]);
  }

  @Test
  void stopsAtABusyRecordAndResumesOnceCommitted() {
    FakeRing r = new FakeRing(PAGE);
    RingCursor c = r.cursor();
    r.write(rec(1), 0);
    long busy = r.write(rec(2), RingCursor.BUSY_BIT);
    r.write(rec(3), 0);
    assertEquals(List.of(1L), firstWords(c, 100));
    assertEquals(List.of(), firstWords(c, 100));
    r.commit(busy);
    assertEquals(List.of(2L, 3L), firstWords(c, 100));
  }

  @Test
  void skipsDiscardedRecords() {
    FakeRing r = new FakeRing(PAGE);
    RingCursor c = r.cursor();
    r.write(rec(1), RingCursor.DISCARD_BIT);
    r.write(rec(2), 0);
    assertEquals(List.of(2L), firstWords(c, 100));
    assertEquals(1, c.discarded());
    assertEquals(1, c.records());
    assertEquals(r.prod, c.consumerPosition());
  }

  @Test
  void recordsStraddlingTheEndReadWhole() {
    FakeRing r = new FakeRing(PAGE);
    RingCursor c = r.cursor();
    long expected = 0;
    // 24-byte records: 4096 is not a multiple of 24, so some straddle the end of the data area
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 100; i++) {
        r.write(rec(round * 100L + i), 0);
      }
      for (long v : firstWords(c, Integer.MAX_VALUE)) {
        assertEquals(expected++, v);
      }
    }
    assertEquals(1000, expected);
    assertEquals(1000 * 24L, c.consumerPosition());
  }

  @Test
  void aHandlerThatThrowsHasConsumedItsRecord() {
    FakeRing r = new FakeRing(PAGE);
    RingCursor c = r.cursor();
    r.write(rec(1), 0);
    r.write(rec(2), 0);
    assertThrows(IllegalStateException.class, () -> c.drain(b -> {
      throw new IllegalStateException("handler");
    }, 10));
    assertEquals(24, c.consumerPosition());
    assertEquals(List.of(2L), firstWords(c, 10));
  }

  @Test
  void refusesALayoutThatDoesNotFit() {
    ByteBuffer cons = ByteBuffer.allocateDirect(PAGE);
    assertThrows(IllegalArgumentException.class, () -> new RingCursor(cons, ByteBuffer.allocateDirect(PAGE + PAGE), PAGE, PAGE));
    assertThrows(IllegalArgumentException.class, () -> new RingCursor(cons, ByteBuffer.allocateDirect(PAGE + 6000), PAGE, 3000));
  }
}
