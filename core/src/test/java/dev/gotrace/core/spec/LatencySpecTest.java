package dev.gotrace.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.codegen.LatencyProgram;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.trace.RecordSource;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code gotrace latency} as a spec, its streamed calls run through a fake session over recorded records. */
class LatencySpecTest {

  static LatencyPlan plan(GoBinary b) throws Exception {
    return new LatencyPlanner(1000).plan(b, List.of(NamePattern.parse("main.*")));
  }

  @Test
  void exitsAttachBeforeEntriesAndOnlyStreamingHasARing() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      LatencyPlan plan = plan(b);
      TraceSpec quiet = LatencySpec.of(plan, 16, OptionalLong.empty(), false);
      assertEquals(List.of("gotrace_lat_out", "gotrace_lat_in"),
          quiet.programs().stream().map(TraceSpec.Probes::name).toList());
      assertEquals(plan.exitProbes(), quiet.programs().get(0).probes());
      assertEquals(plan.entryProbes(), quiet.programs().get(1).probes());
      assertTrue(quiet.ring().isEmpty());
      try (Session s = Session.replay(quiet, RecordSource.replay(List.of(), 0), Set.of())) {
        assertTrue(LatencySpec.sites(s, plan).isEmpty(), "no per-site map without --by-site");
      }
      TraceSpec bySite = LatencySpec.of(plan, 16, OptionalLong.of(0), true);
      assertTrue(bySite.ring().isPresent());
      assertTrue(bySite.maps().stream().anyMatch(m -> m.name().equals(LatencyProgram.SITES)));
    }
  }

  @Test
  void decodesRecordedCompletedCallsAndKeepsLossesOutOfTheStream() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      LatencyPlan plan = plan(b);
      TraceSpec spec = LatencySpec.of(plan, 16, OptionalLong.of(0), false);
      assertFalse(spec.announceLost(), "the table reports losses, not the stream");
      List<Event> events = Replay.events(spec, Replay.records("latency"), 2, Set.of());
      List<Event.Completed> calls = Replay.only(events, Event.Completed.class);
      assertEquals(events.size(), calls.size(), events.toString());
      Map<String, Long> counts = new TreeMap<>(calls.stream()
          .collect(Collectors.groupingBy(Event.Completed::function, Collectors.counting())));
      assertEquals(Map.of("main.checkSite", 2L, "main.checkSite.func1", 2L, "main.handler", 2L, "main.ping", 2L,
          "main.prepareAnswer", 2L), counts);
      assertTrue(calls.stream().allMatch(c -> c.pid() == Replay.LATENCY_PID && c.latencyNs() > 0 && c.exitSite() != 0));
      try (Session s = Session.replay(spec, RecordSource.replay(Replay.records("latency"), 2), Set.of())) {
        s.drain(e -> { });
        assertEquals(2, s.lost());
      }
    }
  }
}
