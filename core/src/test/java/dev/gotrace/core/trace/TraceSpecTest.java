package dev.gotrace.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.maps.MapSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A spec refuses to name maps it does not have; a replayed session reads like a live one. */
class TraceSpecTest {
  static final Program EMPTY = Program.of();

  @Test
  void everyMapAProgramUsesIsInTheSpec() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TraceSpec(Path.of("x"),
        List.of(), List.of(new TraceSpec.Probes("p", EMPTY, List.of("missing"), List.of())), Optional.empty(),
        () -> b -> Optional.empty(), true));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TraceSpec(Path.of("x"), List.of(), List.of(),
        Optional.of(new TraceSpec.Ring("events", "drops")), () -> b -> Optional.empty(), true));
    TraceSpec ok = TraceSpec.streaming(Path.of("x"), "p", EMPTY, List.of(), "events", "drops", 4096,
        () -> b -> Optional.empty());
    assertEquals(List.of("events"), ok.maps().stream().map(MapSpec::name).toList());
    assertEquals(List.of("events", "drops"), ok.programs().get(0).maps());
  }

  @Test
  void aReplayedSessionDecodesFiltersAndAnnouncesLosses() {
    TraceSpec spec = TraceSpec.streaming(Path.of("x"), "p", EMPTY, List.of(), "events", "drops", 4096,
        () -> b -> Optional.of(new Event.Exit(1, b.get(0), 0, 0, "", -1)));
    List<Event> got = new ArrayList<>();
    try (Session s = Session.replay(spec, RecordSource.replay(List.of(new byte[] {7}, new byte[] {8}), 2),
        Set.of(7))) {
      assertTrue(s.streams());
      s.drain(got::add);
      assertEquals(0, s.poll(0, got::add), "nothing new, no second Lost");
    }
    assertEquals(2, got.size(), got.toString());
    assertEquals(7, got.get(0).pid(), "the other process's event is dropped");
    assertEquals(2, ((Event.Lost) got.get(1)).count());
  }
}
