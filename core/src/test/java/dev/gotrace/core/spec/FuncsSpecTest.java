package dev.gotrace.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.codegen.FuncsProgram;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.trace.RecordSource;
import dev.gotrace.core.trace.Session;
import dev.gotrace.core.trace.TraceSpec;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code gotrace funcs} as a spec, run through a fake session over recorded records. */
class FuncsSpecTest {

  static TraceSpec spec(GoBinary b) throws Exception {
    ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
    return FuncsSpec.of(plan, b, 1 << 16);
  }

  @Test
  void isAValue() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
      TraceSpec s = FuncsSpec.of(plan, b, 1 << 16);
      assertEquals(List.of(FuncsProgram.EVENTS), s.maps().stream().map(m -> m.name()).toList());
      assertEquals(1, s.programs().size());
      TraceSpec.Probes p = s.programs().get(0);
      assertEquals(plan.probes(), p.probes(), "the plan's sites and cookies");
      assertEquals(Disassembler.listing(FuncsProgram.generate(plan, OptionalLong.empty(), 1 << 16)),
          Disassembler.listing(p.program()), "the golden-tested program");
      assertTrue(s.announceLost());
    }
  }

  @Test
  void decodesRecordedCalls() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      List<Event> events = Replay.events(spec(b), Replay.records("funcs"), 0, Set.of());
      List<Event.Call> calls = Replay.only(events, Event.Call.class);
      assertEquals(events.size(), calls.size(), "nothing lost: " + events);
      Map<String, Long> counts = new TreeMap<>(calls.stream()
          .collect(Collectors.groupingBy(Event.Call::function, Collectors.counting())));
      assertEquals(Map.of("main.checkSite", 2L, "main.checkSite.func1", 2L, "main.handler", 2L, "main.ping", 2L,
          "main.prepareAnswer", 2L), counts);
      assertTrue(calls.stream().allMatch(c -> c.pid() == Replay.FUNCS_PID));
      Event.Call answer = calls.stream().filter(c -> c.function().equals("main.prepareAnswer")).findFirst().get();
      assertEquals("main.handler", answer.caller().function());
      assertEquals(51, answer.caller().line());
      Event.Call closure = calls.stream().filter(c -> c.function().equals("main.checkSite.func1")).findFirst().get();
      assertEquals("runtime.goexit", closure.caller().function(), "a goroutine's first function");
    }
  }

  @Test
  void reportsDropsAsOneLostEventAndFiltersPids() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      List<Event> events = Replay.events(spec(b), Replay.records("funcs"), 3, Set.of());
      assertEquals(10, Replay.only(events, Event.Call.class).size());
      List<Event.Lost> lost = Replay.only(events, Event.Lost.class);
      assertEquals(1, lost.size(), events.toString());
      assertEquals(3, lost.get(0).count());

      assertEquals(List.of(), Replay.events(spec(b), Replay.records("funcs"), 0, Set.of(Replay.FUNCS_PID + 1)),
          "another process's calls are dropped in user space");
      try (Session s = Session.replay(spec(b), RecordSource.replay(Replay.records("funcs"), 3), Set.of())) {
        assertEquals(3, s.lost());
        assertEquals(3, s.drops());
        assertTrue(s.attachNote().isEmpty(), "a replay attaches nothing");
        assertTrue(s.map(FuncsProgram.EVENTS).isEmpty(), "a replay owns no kernel maps");
      }
    }
  }
}
