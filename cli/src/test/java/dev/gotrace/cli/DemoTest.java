package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import org.junit.jupiter.api.Test;

/** {@code gotrace demo}: the live call stream as root, the static view with --static. */
class DemoTest {
  @Test
  void liveDemoShowsEveryCallOfItsRequests() {
    TestBinaries.requireRoot();
    CliRun r = CliRun.of("demo", "--binary", TestBinaries.demoServer().toString());
    assertEquals(0, r.exitCode(), r.err());
    int calls = DemoCommand.REQUESTS * DemoCommand.CALLS_PER_REQUEST;
    assertTrue(r.err().contains(calls + " calls in "), r.err());
    for (String f : new String[] {"main.handler", "main.checkSite", "main.checkSite.func1", "main.ping",
        "main.prepareAnswer"}) {
      assertTrue(r.err().contains("\n      " + DemoCommand.REQUESTS + "  " + f + "\n"), f + " in\n" + r.err());
    }
    assertEquals(DemoCommand.REQUESTS, r.out().lines().filter(l -> l.startsWith("# curl ")).count(), r.out());
    // the traced functions the requests never call: one line, not a row of zeros each
    assertTrue(r.err().contains("\n  (2 functions with no calls: main.envPort, main.main)\n"), r.err());
    assertFalse(r.err().matches("(?s).*\\n\\s+0  main\\..*"), r.err());
  }

  @Test
  void staticDemoSaysWhyThereIsNoLiveView() {
    CliRun r = CliRun.of("demo", "--static", "--binary", TestBinaries.demoServer().toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("$ gotrace list"), r.out());
    assertTrue(r.out().contains("needs root"), r.out());
  }
}
