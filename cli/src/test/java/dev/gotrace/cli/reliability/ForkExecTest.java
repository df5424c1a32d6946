package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that forks and execs while traced ({@code testdata/go/forker}: main.work 50 times,
 * then itself with -child (50 more calls in the child) and /bin/true through os/exec, then 50
 * more): nothing crashes, and a child is traced only when it runs the traced binary and the
 * target covers it — every process of the BINARY, not a child of a -p or launched process.
 */
class ForkExecTest {
  private static final Pattern PARENT = Pattern.compile("(?m)^calls main.work (\\d+) pid (\\d+)$");
  private static final Pattern CHILD = Pattern.compile("(?m)^child calls main.work (\\d+) pid (\\d+)$");
  private static final Pattern EVENT_PID = Pattern.compile("\"pid\":(\\d+),.*\"func\":\"main.work\"");

  @TempDir Path tmp;
  private Path forker;

  @BeforeEach
  void binary() {
    TestBinaries.requireRoot();
    forker = TestBinaries.get(TestBinaries.series().get(TestBinaries.series().size() - 1), "amd64", "default", "forker").path();
  }

  @Test
  void tracingTheBinarySeesTheParentAndTheChildThatRunsIt() throws Exception {
    try (GotraceJvm gotrace = GotraceJvm.start(tmp, "funcs", "funcs", forker.toString(), "main.work", "--json")) {
      gotrace.awaitAttached();
      GoProcess run = GoProcess.run(forker, "-n", "50");
      assertEquals(0, run.process().exitValue(), run.output());
      long parent = pid(PARENT, run.output(), 100);
      long child = pid(CHILD, run.output(), 50);
      waitForEvents(gotrace, 150);
      gotrace.process().toHandle().destroy(); // SIGTERM: summary, detach
      assertEquals(128 + 15, gotrace.waitFor());
      assertEquals(Map.of(parent, 100, child, 50), eventsByPid(gotrace.out()), gotrace.err());
      assertTrue(gotrace.err().contains("150 calls in ") && gotrace.err().contains(", 0 dropped"), gotrace.err());
    }
  }

  @Test
  void aPidTargetIsTracedAloneThroughItsForksAndEndsWithIt() throws Exception {
    try (GoProcess target = GoProcess.start(forker, "-n", "50", "-wait")) {
      target.awaitLine("ready ");
      InProcess gotrace = InProcess.start("funcs", "main.work", "-p", Long.toString(target.pid()), "--json")
          .awaitAttached();
      target.release();
      assertEquals(0, target.waitFor(), target.output());
      assertEquals(0, gotrace.exitCode(), gotrace.err().toString());
      assertEquals(Map.of(target.pid(), 100), eventsByPid(gotrace.out().toString()), gotrace.err().toString());
      assertTrue(gotrace.err().toString().contains("100 calls in "), gotrace.err().toString());
      pid(CHILD, target.output(), 50);
    }
  }

  @Test
  void aLaunchedCommandIsTracedAloneAndItsChildrensOutputForwarded() throws Exception {
    InProcess gotrace = InProcess.run("funcs", "main.work", "--", forker.toString(), "-n", "50");
    assertEquals(0, gotrace.exitCode(), gotrace.err().toString());
    String out = gotrace.out().toString();
    long parent = pid(PARENT, out, 100);
    pid(CHILD, out, 50);
    assertTrue(gotrace.err().toString().contains("(launched as pid " + parent + ")"), gotrace.err().toString());
    String err = gotrace.err().toString();
    assertTrue(err.contains("\n100 calls in ") && err.contains(", 0 dropped"), err);
  }

  /** The pid on the line the pattern finds, after checking its count. */
  private static long pid(Pattern p, String output, int calls) {
    Matcher m = p.matcher(output);
    assertTrue(m.find(), p + " in: " + output);
    assertEquals(calls, Integer.parseInt(m.group(1)), output);
    return Long.parseLong(m.group(2));
  }

  private static Map<Long, Integer> eventsByPid(String ndjson) {
    Map<Long, Integer> byPid = new TreeMap<>();
    ndjson.lines().forEach(l -> {
      Matcher m = EVENT_PID.matcher(l);
      if (m.find()) {
        byPid.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
      }
    });
    return byPid;
  }

  private static void waitForEvents(GotraceJvm g, int n) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (g.out().lines().filter(l -> l.contains("\"main.work\"")).count() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }
}
