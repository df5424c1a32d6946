package dev.gotrace.core.trace;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * The read side of a {@link Session}: records from one ring buffer decoded into events, events of
 * processes outside {@code acceptPids} dropped (when it is not empty), and a "lost" event
 * whenever the loss counter (kernel drops, plus whatever a decoder could not match) has grown
 * since the last poll. Single-threaded, like the reader.
 *
 * @param <E> the tracer's event type
 */
public final class RingPoller<E> {
  private final RecordSource reader;
  private final Function<ByteBuffer, Optional<E>> decoder;
  private final ToIntFunction<E> pidOf;
  private final Set<Integer> acceptPids;
  private final LongSupplier lost;
  private final LongFunction<E> lostEvent;
  private long reportedLost;

  /**
   * @param decoder a record into an event, or empty when the record yields none (yet)
   * @param pidOf the process of an event, for the {@code acceptPids} filter
   * @param lost records lost so far (monotonic)
   * @param lostEvent the event announcing {@code n} newly lost records; null: losses are not
   *     announced in the stream (the tracer reports them otherwise)
   */
  public RingPoller(RecordSource reader, Function<ByteBuffer, Optional<E>> decoder, ToIntFunction<E> pidOf,
      Set<Integer> acceptPids, LongSupplier lost, LongFunction<E> lostEvent) {
    this.reader = reader;
    this.decoder = decoder;
    this.pidOf = pidOf;
    this.acceptPids = Set.copyOf(acceptPids);
    this.lost = lost;
    this.lostEvent = lostEvent;
  }

  /**
   * Delivers pending events, waiting up to {@code timeoutMs} when there are none, then a lost
   * event when the loss counter grew. Returns the number of events delivered.
   */
  public int poll(int timeoutMs, Consumer<? super E> sink) {
    int[] n = {0};
    reader.poll(timeoutMs, b -> {
      Optional<E> e = decoder.apply(b);
      if (e.isPresent() && (acceptPids.isEmpty() || acceptPids.contains(pidOf.applyAsInt(e.get())))) {
        n[0]++;
        sink.accept(e.get());
      }
    });
    long l = lost.getAsLong();
    if (l > reportedLost && lostEvent != null) {
      sink.accept(lostEvent.apply(l - reportedLost));
      n[0]++;
    }
    reportedLost = Math.max(reportedLost, l);
    return n[0];
  }

  /**
   * Everything committed to the ring before this call, without waiting; records the target
   * writes meanwhile are left, so this ends even while the target keeps calling.
   */
  public int drain(Consumer<? super E> sink) {
    long end = reader.producerPosition();
    int total = 0;
    long before;
    do {
      before = reader.consumerPosition();
      total += poll(0, sink);
    } while (reader.consumerPosition() < end && reader.consumerPosition() > before);
    return total;
  }

  /** Wall-clock now in ns since the epoch, the time stamped on lost events. */
  public static long nowNs() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
