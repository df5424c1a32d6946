package dev.gotrace.core.target;

import dev.gotrace.core.spec.FuncsSpec;
import dev.gotrace.core.trace.Session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launch mode and discovery, with real processes and real uprobes. */
class TargetsLiveTest {

  /**
   * The workload launched through the gate: every call it makes from its first instruction on is
   * seen, so the traced counts equal the counts it prints, for every function it counts that has
   * code of its own. The probes filter on the shell's pid, which the workload keeps through exec.
   */
  @Test
  void launchSeesTheFirstCallsOfMain() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    Map<String, Long> traced = new TreeMap<>();
    String output;
    int exit;
    try (GoBinary b = GoBinary.open(bin);
        Launcher.Launched l = Launcher.start(List.of(bin.toString(), "-n", "1"))) {
      ProbePlan plan = new Planner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
      try (Session t = Session.open(FuncsSpec.of(plan, b, Session.DEFAULT_RING_BYTES), b, List.of(l.pid()), Set.of(l.pid()))) {
        l.release();
        output = new String(l.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(l.process().waitFor(30, TimeUnit.SECONDS));
        exit = l.process().exitValue();
        t.drain(e -> {
          if (e instanceof Event.Call c) {
            traced.merge(c.function(), 1L, Long::sum);
          }
        });
        assertEquals(0, t.drops());
      }
      Map<String, Long> printed = WorkloadCounts.parse(output);
      assertEquals(0, exit, output);
      int compared = 0;
      for (ProbeSite s : plan.sites()) {
        Long want = printed.get(s.function());
        if (want != null) {
          assertEquals(want, traced.getOrDefault(s.function(), 0L), s.function());
          compared++;
        }
      }
      assertTrue(compared >= 10, "compared " + compared + " functions: " + printed.keySet());
      // main.main runs once, from the very start of the program.
      assertEquals(1L, traced.get("main.main"));
      assertEquals(1L, traced.get("main.init"), "package init runs before main.main");
    }
  }

  @Test
  void launchReportsAMissingCommand() {
    TargetException e = assertThrows(TargetException.class,
        () -> Launcher.start(List.of("/nonexistent/gotrace-test-program")));
    assertEquals(TargetException.Kind.NOT_FOUND, e.kind());
  }

  @Test
  void discoveryFindsTheRunningServerByPatternAlone() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.get("go1.22", "amd64", "default", "server").path();
    List<NamePattern> pattern = List.of(NamePattern.parse("main.prepareAnswer"));
    try (GoServer a = GoServer.start(bin)) {
      List<Discovery.Candidate> found = Discovery.find(pattern);
      Discovery.Candidate mine = found.stream().filter(c -> c.pid() == a.pid()).findFirst().orElseThrow(
          () -> new AssertionError("server " + a.pid() + " not among " + found));
      assertEquals(bin.toString(), mine.exe());
      assertEquals("go1.22.12", mine.goVersion());
      assertTrue(found.stream().noneMatch(c -> c.pid() == ProcessHandle.current().pid()));
      try (GoServer b = GoServer.start(bin)) {
        TargetException e = assertThrows(TargetException.class,
            () -> Discovery.single(pattern, Optional.of("a function matching main.prepareAnswer"), "gotrace funcs -p PID"));
        assertEquals(TargetException.Kind.AMBIGUOUS, e.kind());
        List<String> lines = e.getMessage().lines().toList();
        assertTrue(lines.get(0).matches("\\d+ running Go processes have a function matching main.prepareAnswer:"),
            e.getMessage());
        // one line per process: pid, Go version, command line
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +" + a.pid() + "  go1\\.22\\.12 +" + bin + " .*")),
            e.getMessage());
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +" + b.pid() + "  go1\\.22\\.12 +" + bin + " .*")),
            e.getMessage());
        assertTrue(e.hint().contains("-p PID"), e.hint());
      }
    }
    TargetException none = assertThrows(TargetException.class,
        () -> Discovery.single(List.of(NamePattern.parse("main.noSuchFunctionAnywhere")), Optional.empty(), "x"));
    assertEquals(TargetException.Kind.NOT_FOUND, none.kind());
  }

  @Test
  void processExecutableIsThePathItWasStartedFrom() throws Exception {
    Path bin = TestBinaries.demoServer();
    try (GoServer s = GoServer.start(bin)) {
      Path exe = Processes.executable(s.pid()).orElseThrow();
      // the same root as ours: the path the process was started from, not /proc/PID/root/...
      assertEquals(bin.toRealPath(), exe);
      assertEquals(bin.toRealPath().toString(), Processes.display(exe));
      assertTrue(Processes.alive(s.pid()));
      assertEquals(Processes.State.LIVE, Processes.state(s.pid()));
    }
  }

  /**
   * A process whose file is in another mount namespace (a tmpfs mounted only there, as in a
   * container): its file is opened through /proc/PID/root, and shown as the process sees it.
   * (A chroot needs none of this: /proc/PID/exe then names the file by its path here.)
   */
  @Test
  void processInAnotherMountNamespaceIsReadThroughProcRoot(@TempDir Path mountPoint) throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t tmpfs tmpfs \"$1\" && cp \"$2\" \"$1/workload\" && exec \"$1/workload\" -mode forever",
        "sh", mountPoint.toString(), bin.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      int pid = (int) p.pid();
      String inside = mountPoint.resolve("workload").toString();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Processes.exeName(pid).orElse("").equals(inside) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(inside, Processes.exeName(pid).orElse(""));
      assertTrue(Files.notExists(mountPoint.resolve("workload")), "the tmpfs is not mounted here");
      Path exe = Processes.executable(pid).orElseThrow();
      assertEquals(Path.of("/proc/" + pid + "/root" + inside), exe);
      assertEquals(inside, Processes.display(exe));
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
