package dev.gotrace.core.trace;

import dev.gotrace.probes.ringbuf.RecordHandler;
import dev.gotrace.probes.ringbuf.RingBufReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Where a session's records come from: the kernel's ring buffer, or (in tests, without root)
 * records captured from one. Positions count consumed and committed records' bytes the way the
 * ring does, so draining works the same on both.
 */
public interface RecordSource {

  /** Hands pending records to {@code handler}, waiting up to {@code timeoutMs} when there are none. */
  int poll(int timeoutMs, RecordHandler handler);

  /** How far the producer has committed. */
  long producerPosition();

  /** How far this reader has consumed. */
  long consumerPosition();

  /** Records the producer could not write (a full ring), so far. */
  long drops();

  /** The kernel's ring buffer. */
  static RecordSource of(RingBufReader reader) {
    return new RecordSource() {
      @Override
      public int poll(int timeoutMs, RecordHandler handler) {
        return reader.poll(timeoutMs, handler);
      }

      @Override
      public long producerPosition() {
        return reader.producerPosition();
      }

      @Override
      public long consumerPosition() {
        return reader.consumerPosition();
      }

      @Override
      public long drops() {
        return reader.drops();
      }
    };
  }

  /**
   * Recorded payloads, delivered in order (each as the ring delivers it: little-endian, read-only,
   * position 0), then nothing; {@code drops} is reported as the kernel's drop count.
   */
  static RecordSource replay(List<byte[]> records, long drops) {
    Deque<byte[]> left = new ArrayDeque<>(records);
    long total = records.stream().mapToLong(r -> r.length).sum();
    return new RecordSource() {
      private long consumed;

      @Override
      public int poll(int timeoutMs, RecordHandler handler) {
        int n = 0;
        while (!left.isEmpty()) {
          byte[] r = left.poll();
          consumed += r.length;
          handler.onRecord(ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
              .order(ByteOrder.LITTLE_ENDIAN));
          n++;
        }
        return n;
      }

      @Override
      public long producerPosition() {
        return total;
      }

      @Override
      public long consumerPosition() {
        return consumed;
      }

      @Override
      public long drops() {
        return drops;
      }
    };
  }
}
