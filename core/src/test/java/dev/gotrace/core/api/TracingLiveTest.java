package dev.gotrace.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.probes.objects.BpfObjects;
import dev.gotrace.testdata.BpfHeld;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API against real processes (root): a private copy of the demo server driven with HTTP
 * requests, and a launched workload from the cache's matrix. Counts are exact: N requests are N
 * calls of each function on their path.
 */
class TracingLiveTest {
  private static final int REQUESTS = 7;

  @TempDir Path tmp;
  private Path server;

  @BeforeEach
  void copyServer() throws Exception {
    TestBinaries.requireRoot();
    server = tmp.resolve("server"); // uprobes attach per inode: a file of this test's own
    Files.copy(TestBinaries.demoServer(), server, StandardCopyOption.COPY_ATTRIBUTES);
  }

  @Test
  void latencySeesEveryRequestOnTheTracesOwnThread() throws Exception {
    ConcurrentLinkedQueue<Event> seen = new ConcurrentLinkedQueue<>();
    Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try (GoServer s = GoServer.start(server); GoTrace go = GoTrace.open(server);
        Tracing t = go.latency("main.handler", "main.prepareAnswer").pid(s.pid()).start(e -> {
          threads.add(Thread.currentThread().getName());
          seen.add(e);
        })) {
      assertTrue(t.isRunning());
      assertEquals(List.of(s.pid()), t.pids());
      assertEquals(REQUESTS, s.requests(REQUESTS));
      awaitEvents(seen, e -> e instanceof Event.Completed, 2 * REQUESTS);
    }
    Map<String, Long> calls = seen.stream().filter(e -> e instanceof Event.Completed)
        .collect(Collectors.groupingBy(e -> ((Event.Completed) e).function(), Collectors.counting()));
    assertEquals(Map.of("main.handler", (long) REQUESTS, "main.prepareAnswer", (long) REQUESTS), calls);
    seen.stream().filter(e -> e instanceof Event.Completed).map(Event.Completed.class::cast)
        .forEach(c -> assertTrue(c.latencyNs() > 0 && c.latencyNs() < 10_000_000_000L, c.toString()));
    assertEquals(Set.of("gotrace-trace"), threads);
  }

  @Test
  void funcsWithWhereSeesOnlyThePassingCalls() throws Exception {
    ConcurrentLinkedQueue<Event> seen = new ConcurrentLinkedQueue<>();
    try (GoServer s = GoServer.start(server); GoTrace go = GoTrace.attach(s.pid())) {
      try (Tracing t = go.funcs("main.prepareAnswer").where("year == 2021").start(seen::add)) {
        assertEquals(List.of(s.pid()), t.pids(), "attach(pid) limits its traces to the pid");
        assertEquals(REQUESTS, s.requests(REQUESTS)); // every request asks for year=2021
        awaitEvents(seen, e -> e instanceof Event.Call, REQUESTS);
      }
      assertEquals(REQUESTS, seen.stream().filter(e -> e instanceof Event.Call c
          && c.function().equals("main.prepareAnswer") && c.pid() == s.pid()).count(), seen.toString());
      seen.clear();
      try (Tracing t = go.funcs("main.prepareAnswer").where("year > 3000").start(seen::add)) {
        assertTrue(t.isRunning());
        assertEquals(REQUESTS, s.requests(REQUESTS));
        Thread.sleep(300);
      }
      assertEquals(List.of(), seen.stream().filter(e -> e instanceof Event.Call).toList());
    }
  }

  @Test
  void argsSeesEachCallsArgumentsAndEachReturn() throws Exception {
    ConcurrentLinkedQueue<Event> seen = new ConcurrentLinkedQueue<>();
    try (GoServer s = GoServer.start(server); GoTrace go = GoTrace.open(server);
        Tracing t = go.args("main.prepareAnswer").pid(s.pid()).start(seen::add)) {
      assertTrue(t.isRunning());
      assertEquals(REQUESTS, s.requests(REQUESTS));
      awaitEvents(seen, e -> e instanceof Event.Return, REQUESTS);
    }
    List<Event.Entry> entries = seen.stream().filter(e -> e instanceof Event.Entry).map(Event.Entry.class::cast)
        .toList();
    assertEquals(REQUESTS, entries.size(), seen.toString());
    for (int i = 0; i < REQUESTS; i++) {
      Map<String, String> args = entries.get(i).args().stream()
          .collect(Collectors.toMap(Event.Arg::name, Event.Arg::value));
      assertEquals("\"Gopher" + i + "\"", args.get("name"), entries.get(i).toString());
      assertEquals("2021", args.get("year"), entries.get(i).toString());
    }
    assertEquals(REQUESTS, seen.stream().filter(e -> e instanceof Event.Return).count());
  }

  @Test
  void goroutinesSeesAServingGoroutinePerConnection() throws Exception {
    ConcurrentLinkedQueue<Event> seen = new ConcurrentLinkedQueue<>();
    try (GoServer s = GoServer.start(server); GoTrace go = GoTrace.open(server);
        Tracing t = go.goroutines().where("hasPrefix(fn, \"net/http.\")").pid(s.pid()).start(seen::add)) {
      assertTrue(t.isRunning());
      assertTrue(s.requests(REQUESTS) > 0);
      awaitEvents(seen, e -> e instanceof Event.Launch, 1);
    }
    List<Event.Launch> launches = seen.stream().filter(e -> e instanceof Event.Launch).map(Event.Launch.class::cast)
        .toList();
    assertFalse(launches.isEmpty());
    launches.forEach(l -> assertTrue(l.function().startsWith("net/http."), l.toString()));
  }

  /** close() frees what the trace held: asked of the kernel by id, so other tracers do not matter. */
  @Test
  void closeDetachesAndFreesEveryKernelObject() throws Exception {
    BpfHeld before = BpfHeld.of(ProcessHandle.current().pid());
    try (GoServer s = GoServer.start(server); GoTrace go = GoTrace.open(server)) {
      Tracing t = go.latency("main.*").pid(s.pid()).start(e -> { });
      BpfHeld during = BpfHeld.of(ProcessHandle.current().pid());
      Set<Integer> programs = new HashSet<>(during.programs());
      programs.removeAll(before.programs());
      Set<Integer> links = new HashSet<>(during.links());
      links.removeAll(before.links());
      assertFalse(programs.isEmpty() || links.isEmpty(), "the trace holds programs and links: " + during);
      t.close();
      t.close(); // idempotent
      assertFalse(t.isRunning());
      for (int i = 0; i < 200 && programs.stream().anyMatch(id -> BpfObjects.program(id).isPresent()); i++) {
        Thread.sleep(50); // the kernel frees a detached program after an RCU grace period
      }
      assertEquals(List.of(), programs.stream().filter(id -> BpfObjects.program(id).isPresent()).toList(),
          "programs left");
      assertEquals(List.of(), BpfObjects.links().stream().filter(l -> links.contains(l.id())
          || programs.contains(l.programId())).toList(), "links left");
      assertEquals(REQUESTS, s.requests(REQUESTS), "the server still answers");
    }
  }

  @Test
  void aThrowingListenerStopsTheTraceAndCloseReportsIt() throws Exception {
    try (GoServer s = GoServer.start(server); GoTrace go = GoTrace.open(server)) {
      Tracing t = go.funcs("main.handler").pid(s.pid()).start(e -> {
        throw new IllegalStateException("listener bug");
      });
      s.requests(1);
      assertTrue(t.awaitEnd(Duration.ofSeconds(10)), "the trace ended by itself");
      assertFalse(t.isRunning());
      GoTraceException e = assertThrows(GoTraceException.class, t::close);
      assertEquals("the listener threw java.lang.IllegalStateException: listener bug; the trace stopped",
          e.getMessage());
      assertInstanceOf(IllegalStateException.class, e.getCause());
      t.close(); // reported once
    }
  }

  /** A launched command: traced from its first instruction; the trace ends when it exits. */
  @Test
  void launchedWorkloadEndsTheTraceWhenItExits() throws Exception {
    Path wl = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    ConcurrentLinkedQueue<Event> seen = new ConcurrentLinkedQueue<>();
    try (GoTrace go = GoTrace.open(wl);
        Tracing t = go.latency("main.sleepFor").launch(wl.toString(), "-mode", "sleep", "-n", "5", "-sleep-ms", "20")
            .start(seen::add)) {
      assertEquals(1, t.pids().size());
      assertTrue(t.awaitEnd(Duration.ofSeconds(30)), "the workload exited");
    }
    List<Event.Completed> calls = seen.stream().filter(e -> e instanceof Event.Completed)
        .map(Event.Completed.class::cast).toList();
    assertEquals(5, calls.size(), seen.toString());
    calls.forEach(c -> assertTrue(c.latencyNs() >= 20_000_000L, c.toString()));
  }

  private static void awaitEvents(ConcurrentLinkedQueue<Event> seen, Predicate<Event> kind, int n)
      throws InterruptedException {
    for (int i = 0; i < 200 && seen.stream().filter(kind).count() < n; i++) {
      Thread.sleep(25);
    }
  }
}
