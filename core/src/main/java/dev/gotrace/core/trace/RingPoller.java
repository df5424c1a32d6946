package dev.gotrace.core.trace;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.decode.RecordDecoder;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The read side of a {@link Session}: records from one source decoded into events, events of
 * processes outside {@code acceptPids} dropped (when it is not empty), and an {@link Event.Lost}
 * whenever the loss counter (kernel drops, plus whatever the decoder could not match) has grown
 * since the last poll. Single-threaded, like the reader.
 */
final class RingPoller {
  private final RecordSource source;
  private final RecordDecoder decoder;
  private final Set<Integer> acceptPids;
  private final LongSupplier lost;
  private final boolean announceLost;
  private long reportedLost;

  /**
   * @param lost records lost so far (monotonic)
   * @param announceLost whether new losses are delivered as {@link Event.Lost}; otherwise the
   *     command reports them itself
   */
  RingPoller(RecordSource source, RecordDecoder decoder, Set<Integer> acceptPids, LongSupplier lost,
      boolean announceLost) {
    this.source = source;
    this.decoder = decoder;
    this.acceptPids = Set.copyOf(acceptPids);
    this.lost = lost;
    this.announceLost = announceLost;
  }

  /**
   * Delivers pending events, waiting up to {@code timeoutMs} when there are none, then a lost
   * event when the loss counter grew. Returns the number of events delivered.
   */
  int poll(int timeoutMs, Consumer<? super Event> sink) {
    int[] n = {0};
    source.poll(timeoutMs, b -> {
      Optional<Event> e = decoder.decode(b);
      if (e.isPresent() && (acceptPids.isEmpty() || acceptPids.contains(e.get().pid()))) {
        n[0]++;
        sink.accept(e.get());
      }
    });
    long l = lost.getAsLong();
    if (l > reportedLost && announceLost) {
      sink.accept(new Event.Lost(nowNs(), l - reportedLost));
      n[0]++;
    }
    reportedLost = Math.max(reportedLost, l);
    return n[0];
  }

  /**
   * Everything committed before this call, without waiting; records the target writes meanwhile
   * are left, so this ends even while the target keeps calling.
   */
  int drain(Consumer<? super Event> sink) {
    long end = source.producerPosition();
    int total = 0;
    long before;
    do {
      before = source.consumerPosition();
      total += poll(0, sink);
    } while (source.consumerPosition() < end && source.consumerPosition() > before);
    return total;
  }

  /** Wall-clock now in ns since the epoch, the time stamped on lost events. */
  private static long nowNs() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
