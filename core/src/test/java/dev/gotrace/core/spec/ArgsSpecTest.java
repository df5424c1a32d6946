package dev.gotrace.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code gotrace args} as a spec, run through a fake session over recorded records. */
class ArgsSpecTest {

  static TraceSpec spec(GoBinary b) throws Exception {
    ArgsPlan plan = new ArgsPlanner(new Planner(Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE, false)
        .plan(b, List.of(NamePattern.parse("main.prepareAnswer")));
    return ArgsSpec.of(plan, b, 1 << 16);
  }

  @Test
  void decodesRecordedEntriesAndReturns() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      TraceSpec spec = spec(b);
      assertEquals(1, spec.programs().size(), "entries and exits share one program");
      List<Event> events = Replay.events(spec, Replay.records("args"), 0, Set.of());
      assertEquals(4, events.size(), events.toString());
      for (int i = 0; i < 2; i++) {
        Event.Entry in = (Event.Entry) events.get(2 * i);
        Event.Return out = (Event.Return) events.get(2 * i + 1);
        assertEquals(Replay.ARGS_PID, in.pid());
        assertEquals("main.prepareAnswer", in.function());
        assertEquals(List.of(new Event.Arg("name", "string", "\"Gopher" + i + "\""),
            new Event.Arg("year", "int", "2021"), new Event.Arg("status", "int", "200")), in.args());
        assertTrue(out.resultsKnown());
        assertEquals(List.of(new Event.Arg("~r0", "string",
            "\"Hello, Gopher" + i + "! The year is 2021 and the site answered 200.\\n\"")), out.results());
        assertEquals(out.wallNs() - in.wallNs(), out.latencyNs(), "the return is matched to its entry");
      }
    }
  }

  @Test
  void reportsDrops() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      List<Event> events = Replay.events(spec(b), Replay.records("args"), 1, Set.of());
      assertEquals(List.of(1L), Replay.only(events, Event.Lost.class).stream().map(Event.Lost::count).toList());
    }
  }
}
