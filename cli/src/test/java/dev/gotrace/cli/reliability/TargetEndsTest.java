package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target ends in the middle of a trace (killed, or finishing), and two gotrace instances
 * trace one target at once: each prints its summary and exits 0, and each one's counts equal
 * what the target says it did.
 */
class TargetEndsTest {
  @TempDir Path tmp;
  private Path wl;

  @BeforeEach
  void binary() {
    TestBinaries.requireRoot();
    wl = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
  }

  @Test
  void aTargetKilledMidTraceEndsEachCommandWithItsSummaryAndExitCode0() throws Exception {
    for (String command : new String[] {"funcs", "latency", "args"}) {
      try (GoProcess target = GoProcess.start(wl, "-mode", "forever", "-pause-ms", "10")) {
        InProcess gotrace = InProcess.start(command, "main.recurse", "-p", Long.toString(target.pid()))
            .awaitAttached();
        Thread.sleep(300);
        target.process().destroyForcibly();
        assertEquals(0, gotrace.exitCode(), command + ": " + gotrace.err());
        // funcs and args print their summary on stderr; latency's table is its data, on stdout
        String text = command.equals("latency") ? gotrace.out().toString() : gotrace.err().toString();
        String summary = switch (command) {
          case "latency" -> "main.recurse  count ";
          case "args" -> " returns in ";
          default -> " calls in ";
        };
        assertTrue(text.contains(summary), command + " summary: " + text.substring(Math.max(0, text.length() - 800)));
      }
    }
  }

  @Test
  void twoInstancesOnOneTargetEachSeeEveryCall() throws Exception {
    try (GoProcess target = GoProcess.start(wl, "-n", "2", "-wait")) {
      target.awaitLine("ready ");
      String pid = Long.toString(target.pid());
      try (GotraceJvm latency = GotraceJvm.start(tmp, "latency", "latency", "main.recurse", "main.worker", "-p", pid);
          GotraceJvm funcs = GotraceJvm.start(tmp, "funcs", "funcs", "main.recurse", "main.mayPanic", "-p", pid)) {
        latency.awaitAttached();
        funcs.awaitAttached();
        target.release();
        assertEquals(0, target.waitFor(), target.output());
        assertEquals(0, latency.waitFor(), latency.err());
        assertEquals(0, funcs.waitFor(), funcs.err());
        long recurse = count(target.output(), "(?m)^calls main.recurse (\\d+)$");
        long worker = count(target.output(), "(?m)^calls main.worker (\\d+)$");
        long mayPanic = count(target.output(), "(?m)^calls main.mayPanic (\\d+)$");
        assertEquals(recurse, count(latency.out(), "(?m)^main.recurse  count (\\d+) "), latency.out());
        assertEquals(worker, count(latency.out(), "(?m)^main.worker  count (\\d+) "), latency.out());
        // funcs' summary (calls per function, drops) is on stderr
        assertEquals(recurse, count(funcs.err(), "(?m)^\\s+(\\d+)  main.recurse$"), funcs.err());
        assertEquals(mayPanic, count(funcs.err(), "(?m)^\\s+(\\d+)  main.mayPanic$"), funcs.err());
        assertTrue(funcs.err().contains(", 0 dropped"), funcs.err());
      }
    }
  }

  private static long count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex + " in: " + text.substring(Math.max(0, text.length() - 1500)));
    return Long.parseLong(m.group(1));
  }
}
