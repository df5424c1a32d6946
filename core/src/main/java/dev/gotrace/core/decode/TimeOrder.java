package dev.gotrace.core.decode;

import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Puts the events of several ring buffers into one stream in time order. Each ring is in
 * order of its own records (nearly: a launch record is committed when newproc1 returns but
 * carries its entry time), but two rings read one after the other are not in order with each
 * other: the ends read in a poll may be older than the launches printed just before them. So
 * events wait here until they are older than a watermark, the time when the rings were last read
 * minus a slack for records committed a little after their time stamp; then they leave oldest
 * first (in arrival order for equal times).
 */
public final class TimeOrder {
  private record Held(Event event, long seq) {}

  private final PriorityQueue<Held> held = new PriorityQueue<>((a, b) -> {
    int c = Long.compare(a.event().wallNs(), b.event().wallNs());
    return c != 0 ? c : Long.compare(a.seq(), b.seq());
  });
  private long seq;

  /** Holds {@code e} until {@link #release} or {@link #flush}. */
  public void add(Event e) {
    held.add(new Held(e, seq++));
  }

  /** Passes on, oldest first, every event held whose time is at most {@code watermarkWallNs}. */
  public void release(long watermarkWallNs, Consumer<? super Event> sink) {
    while (!held.isEmpty() && held.peek().event().wallNs() <= watermarkWallNs) {
      sink.accept(held.poll().event());
    }
  }

  /** Passes on every event held, oldest first (the rings have been read for the last time). */
  public void flush(Consumer<? super Event> sink) {
    release(Long.MAX_VALUE, sink);
  }

  /** Events waiting. */
  public int size() {
    return held.size();
  }
}
