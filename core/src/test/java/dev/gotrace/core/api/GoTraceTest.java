package dev.gotrace.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.failure.Failure;
import dev.gotrace.probes.priv.MissingPrivilegeException;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API without root: opening, builders, planning and the failures a user can cause. */
class GoTraceTest {
  @TempDir Path tmp;

  @Test
  void missingFileIsTheCliMessage() {
    GoTraceException e = assertThrows(GoTraceException.class, () -> GoTrace.open(tmp.resolve("nope")));
    assertEquals("no such file: " + tmp.resolve("nope"), e.getMessage());
    assertEquals("give the path of a Go executable", e.hint());
    assertEquals(Failure.Kind.NO_TARGET, e.kind());
  }

  @Test
  void notGoAndNotElfAreRefusedWithTheReadersMessage() throws Exception {
    GoTraceException dash = assertThrows(GoTraceException.class, () -> GoTrace.open(Path.of("/usr/bin/dash")));
    assertEquals(Failure.Kind.NOT_GO, dash.kind());
    assertTrue(dash.getMessage().startsWith("/usr/bin/dash"), dash.getMessage());
    assertEquals("this ELF file has no Go function table; is it a Go program?", dash.hint());
    Path text = Files.writeString(tmp.resolve("notes.txt"), "not a program\n");
    GoTraceException txt = assertThrows(GoTraceException.class, () -> GoTrace.open(text));
    assertEquals(Failure.Kind.NOT_GO, txt.kind());
    assertEquals("gotrace reads Linux ELF executables built by Go", txt.hint());
    assertEquals(Failure.Kind.NOT_GO, assertThrows(GoTraceException.class, () -> GoTrace.open(tmp)).kind());
  }

  @Test
  void attachToAPidThatDoesNotExist() {
    int pid = 4_000_000; // above pid_max's limit (2^22): never a process
    GoTraceException e = assertThrows(GoTraceException.class, () -> GoTrace.attach(pid));
    assertEquals("no process with pid " + pid, e.getMessage());
    assertEquals(Failure.Kind.NO_TARGET, e.kind());
  }

  @Test
  void planWithoutAttaching() throws Exception {
    try (GoTrace go = GoTrace.open(TestBinaries.demoServer())) {
      assertTrue(go.goVersion().startsWith("go1."), go.goVersion());
      TracePlan latency = go.latency("main.*").plan();
      assertTrue(latency.functions().containsAll(List.of("main.handler", "main.prepareAnswer")), latency.toString());
      assertTrue(latency.probes() > latency.functions().size(), "an entry and at least one exit each: " + latency);
      TracePlan funcs = go.funcs("main.prepareAnswer").where("year >= 2021").plan();
      assertEquals(new TracePlan(List.of("main.prepareAnswer"), 1), funcs);
      assertEquals(List.of("main.prepareAnswer"), go.args("main.prepareAnswer").strsize(16).plan().functions());
      assertEquals(List.of("runtime.newproc1"), go.goroutines().where("hasPrefix(fn, \"main.\")").plan().functions());
    }
  }

  @Test
  void badPatternAndExpressionAreTheCliMessages() throws Exception {
    try (GoTrace go = GoTrace.open(TestBinaries.demoServer())) {
      GoTraceException noMatch = assertThrows(GoTraceException.class, () -> go.funcs("main.handlr").plan());
      assertEquals(Failure.Kind.NO_MATCH, noMatch.kind());
      assertTrue(noMatch.getMessage().contains("main.handlr"), noMatch.getMessage());
      GoTraceException regex = assertThrows(GoTraceException.class, () -> go.latency("re:(").plan());
      assertEquals(Failure.Kind.USAGE, regex.kind());
      assertEquals("patterns are names (main.f), globs (main.*) or re:REGEX", regex.hint());
      GoTraceException where = assertThrows(GoTraceException.class,
          () -> go.funcs("main.prepareAnswer").where("year=2021").plan());
      assertEquals("'=' is not a comparison (write ==) (column 5 of 'year=2021')", where.getMessage());
      assertEquals(Failure.GRAMMAR, where.hint());
      assertEquals(Failure.Kind.EXPRESSION, where.kind());
      GoTraceException unknown = assertThrows(GoTraceException.class,
          () -> go.latency("main.prepareAnswer").where("yeer > 1").plan());
      assertEquals(Failure.Kind.EXPRESSION, unknown.kind());
      assertTrue(unknown.getMessage().contains("yeer"), unknown.getMessage());
      GoTraceException tooMany = assertThrows(GoTraceException.class, () -> go.latency("main.*").maxSites(2).plan());
      assertEquals(Failure.Kind.USAGE, tooMany.kind());
    }
  }

  @Test
  void buildersAreImmutableAndRefuseMisuse() throws Exception {
    try (GoTrace go = GoTrace.open(TestBinaries.demoServer())) {
      FuncsTrace all = go.funcs("main.*");
      FuncsTrace one = all.where("year > 1");
      assertNotSame(all, one);
      assertTrue(all.options.where().isEmpty(), "the original keeps no where");
      assertThrows(IllegalArgumentException.class, () -> all.pid());
      assertThrows(IllegalArgumentException.class, () -> all.pid(0));
      assertThrows(IllegalArgumentException.class, () -> all.launch());
      assertThrows(IllegalStateException.class, () -> all.pid(1).launch("./server"));
      assertThrows(IllegalStateException.class, () -> all.launch("./server").pid(1));
      assertThrows(IllegalArgumentException.class, () -> all.maxSites(0));
      assertThrows(IllegalArgumentException.class, () -> go.args("main.*").strsize(0));
      assertThrows(IllegalArgumentException.class, () -> go.latency("main.*").atLeast(java.time.Duration.ofMillis(-1)));
      assertThrows(NullPointerException.class, () -> all.start(null));
    }
  }

  @Test
  void aPidThatIsGoneOrRunsAnotherBinaryIsRefusedBeforeAttaching() throws Exception {
    try (GoTrace go = GoTrace.open(TestBinaries.demoServer())) {
      GoTraceException gone = assertThrows(GoTraceException.class,
          () -> go.funcs("main.handler").pid(4_000_000).start(e -> { }));
      assertEquals("no process with pid 4000000", gone.getMessage());
      long self = ProcessHandle.current().pid();
      GoTraceException other = assertThrows(GoTraceException.class,
          () -> go.funcs("main.handler").pid((int) self).start(e -> { }));
      assertEquals(Failure.Kind.USAGE, other.kind());
      assertTrue(other.getMessage().startsWith("pid " + self + " does not run " + TestBinaries.demoServer()),
          other.getMessage());
      GoTraceException command = assertThrows(GoTraceException.class,
          () -> go.funcs("main.handler").launch("/usr/bin/true").start(e -> { }));
      assertEquals("the command runs /usr/bin/true, not " + TestBinaries.demoServer(), command.getMessage());
    }
  }

  @Test
  void closedGoTraceCannotPlan() throws Exception {
    GoTrace go = GoTrace.open(TestBinaries.demoServer());
    FuncsTrace t = go.funcs("main.handler");
    go.close();
    go.close(); // idempotent
    assertThrows(IllegalStateException.class, t::plan);
  }

  /** Without root the kernel's refusal is the CLI's one line and hint. */
  @Test
  void missingPrivilegeIsTheCliMessage() {
    GoTraceException e = GoTraceException.of(new MissingPrivilegeException("cannot load eBPF programs: missing CAP_BPF"));
    assertEquals(Failure.Kind.NO_PERMISSION, e.kind());
    assertEquals("cannot load eBPF programs: missing CAP_BPF", e.getMessage());
    assertEquals("run as root, or grant CAP_BPF and CAP_PERFMON (see Requirements in the README)", e.hint());
  }
}
