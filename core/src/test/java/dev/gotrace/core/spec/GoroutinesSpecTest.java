package dev.gotrace.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.LaunchPlanner;
import dev.gotrace.core.trace.RecordSource;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code gotrace goroutines} as a spec, run through a fake session over recorded records. */
class GoroutinesSpecTest {

  static TraceSpec spec(GoBinary b) throws Exception {
    return GoroutinesSpec.of(new LaunchPlanner().plan(b), b, 1 << 16);
  }

  @Test
  void joinsRecordedEntriesAndExitsIntoLaunches() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      List<byte[]> records = Replay.records("goroutines");
      List<Event> events = Replay.events(spec(b), records, 0, Set.of());
      List<Event.Launch> launches = Replay.only(events, Event.Launch.class);
      assertEquals(events.size(), launches.size(), "nothing lost: " + events);
      assertEquals(records.size() / 2, launches.size(), "one launch per entry and exit");
      assertTrue(launches.stream().allMatch(l -> l.pid() == Replay.GOROUTINES_PID && l.newGoid() > 0));
      List<Event.Launch> closures = launches.stream().filter(l -> l.function().equals("main.checkSite.func1")).toList();
      assertEquals(2, closures.size(), "one closure per request");
      for (Event.Launch l : closures) {
        assertEquals("main.checkSite", l.site().function());
        assertEquals(58, l.site().line());
      }
      assertTrue(launches.stream().anyMatch(l -> l.target().equals("net/http.(*conn).serve")),
          "the go-wrapper's target is named: " + launches);
    }
  }

  @Test
  void countsAnEntryWithoutItsExitAsLost() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      List<byte[]> records = Replay.records("goroutines");
      try (Session whole = Session.replay(spec(b), RecordSource.replay(records, 0), Set.of())) {
        whole.drain(e -> { });
        assertEquals(0, whole.lost());
      }
      List<byte[]> damaged = new ArrayList<>(records);
      damaged.remove(1); // the first launch's exit, as if the ring had been full
      List<Event> events = Replay.events(spec(b), damaged, 1, Set.of());
      long lost = Replay.only(events, Event.Lost.class).stream().mapToLong(Event.Lost::count).sum();
      assertTrue(lost >= 1, "the kernel's drop at least: " + events);
      assertEquals(records.size() / 2 - 1, Replay.only(events, Event.Launch.class).size());
    }
  }
}
