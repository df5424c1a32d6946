package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.WorkloadCounts;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer's producers commit without waking the reader until the ring is an eighth full.
 * As root: a lone call on an idle target is still printed promptly (the reader's bounded wait
 * finds it), and the workload's tight loop, its highest call rate, is delivered whole through the
 * default ring.
 */
class QuietRingLiveCliTest {

  private static String workload() {
    return TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
  }

  /**
   * One call of main.sleepFor, then the target sleeps for 30 s without calling anything traced:
   * no wakeup is ever sent for that record. Its line must appear well before the target's end
   * (bounded here at 1 s after the call's own time stamp, generously: the reader waits 50 ms).
   */
  @Test
  void aLoneCallOnAnIdleTargetIsPrintedPromptly() throws Exception {
    TestBinaries.requireRoot();
    FuncsLiveCliTest.Running g = FuncsLiveCliTest.Running.start("funcs", "main.sleepFor", "--json", "--count", "1",
        "--", workload(), "-mode", "sleep", "-n", "1", "-sleep-ms", "30000");
    g.awaitAttached();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!g.out().toString().contains("\"main.sleepFor\"") && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    long seenNs = System.currentTimeMillis() * 1_000_000L;
    String line = g.out().toString().lines().filter(l -> l.contains("\"main.sleepFor\"")).findFirst()
        .orElseThrow(() -> new AssertionError("the call was not printed while the target slept: " + g.err()));
    long callNs = (Long) FuncsLiveCliTest.parse(new JsonFactory(), line).get("ts");
    long delayMs = (seenNs - callNs) / 1_000_000;
    System.out.printf("lone call printed %d ms after it was made%n", delayMs);
    assertTrue(delayMs < 1000, "printed " + delayMs + " ms after the call: " + line);
    assertEquals(0, g.exit().get(30, TimeUnit.SECONDS), g.err().toString());
    assertTrue(g.err().toString().contains("1 calls in ") && g.err().toString().contains(", 0 dropped"),
        g.err().toString());
  }

  /**
   * 200,000 calls of main.hot in the workload's tight loop (more records than the default 8 MiB
   * ring holds at once, so the reader must keep up while the target runs): every call printed,
   * none dropped, and the counts equal the workload's own.
   */
  @Test
  void theTightLoopIsDeliveredWholeThroughTheDefaultRing() {
    TestBinaries.requireRoot();
    int n = 200_000;
    CliRun r = CliRun.of("funcs", "main.hot", "--", workload(), "-mode", "loop", "-n", Integer.toString(n));
    assertEquals(0, r.exitCode(), r.err());
    Map<String, Long> printed = WorkloadCounts.parse(r.out());
    assertEquals(n, printed.get("main.hot"), "the workload's own count");
    long lines = r.out().lines().filter(l -> l.matches("\\S+\\s+\\d+\\s+\\d+\\s+main\\.hot\\s+main\\.loop.*")).count();
    assertEquals(n, lines, "a line per call");
    assertTrue(r.err().contains(n + " calls in ") && r.err().contains(", 0 dropped"), r.err());
  }
}
