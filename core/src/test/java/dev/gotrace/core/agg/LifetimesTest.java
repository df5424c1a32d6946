package dev.gotrace.core.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.decode.Event;
import org.junit.jupiter.api.Test;

class LifetimesTest {
  static Event.Call goexit(long wallNs, int pid, long goid) {
    return new Event.Call(wallNs, pid, pid + 1, goid, "runtime.goexit1", Event.Caller.unknown(0));
  }

  @Test
  void anEndSeenAfterItsLaunchHasALifetime() {
    Lifetimes t = new Lifetimes();
    t.launched(new Event.Launch(1_000, 7, 8, 1, "main.spawn.gowrap1", "main.worker", Event.Caller.unknown(0), 23, 10));
    assertEquals(1, t.running());
    Event.Exit e = t.ended(goexit(5_000, 7, 23));
    assertEquals(new Event.Exit(5_000, 7, 8, 23, "main.worker", 4_000), e);
    assertEquals(0, t.running());
  }

  @Test
  void goroutinesOfOtherProcessesOrFromBeforeTracingHaveNone() {
    Lifetimes t = new Lifetimes();
    t.launched(new Event.Launch(1_000, 7, 8, 1, "main.f", "", Event.Caller.unknown(0), 23, 10));
    assertEquals(-1, t.ended(goexit(5_000, 9, 23)).lifetimeNs());
    assertEquals("", t.ended(goexit(5_000, 7, 4)).function());
    assertEquals(1, t.running());
  }
}
