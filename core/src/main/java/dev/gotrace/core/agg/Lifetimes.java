package dev.gotrace.core.agg;

import dev.gotrace.core.decode.Event;
import java.util.HashMap;
import java.util.Map;

/**
 * Pairs goroutine ends (calls of {@code runtime.goexit1}, from a {@code funcs} probe) with the
 * launches seen before, by (pid, goid): Go never gives a goid twice in one process. Feed every
 * launch before the ends that follow it (see {@code GoroutinesCommand}). Not thread-safe.
 */
public final class Lifetimes {
  private record Key(int pid, long goid) {}

  private record Started(long wallNs, String runs) {}

  private final Map<Key, Started> live = new HashMap<>();

  /** Remembers a launch. */
  public void launched(Event.Launch l) {
    if (l.newGoid() != 0) {
      live.put(new Key(l.pid(), l.newGoid()), new Started(l.wallNs(), l.runs()));
    }
  }

  /** The end reported by a call of goroutine {@code c.goid()} into runtime.goexit1. */
  public Event.Exit ended(Event.Call c) {
    Started s = live.remove(new Key(c.pid(), c.goid()));
    return s == null
        ? new Event.Exit(c.wallNs(), c.pid(), c.tid(), c.goid(), "", -1)
        : new Event.Exit(c.wallNs(), c.pid(), c.tid(), c.goid(), s.runs(), Math.max(0, c.wallNs() - s.wallNs()));
  }

  /** Goroutines launched while tracing that have not ended yet. */
  public int running() {
    return live.size();
  }
}
