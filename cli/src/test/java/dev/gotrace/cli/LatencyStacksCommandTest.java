package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code latency --stacks} refusals: one line and a hint, exit 2, before the binary is read (no root needed). */
class LatencyStacksCommandTest {
  private static void refused(CliRun r, String message, String hint) {
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    assertTrue(r.err().startsWith("gotrace: " + message), r.err());
    assertTrue(r.err().contains(hint), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals("", r.out());
  }

  @Test
  void stacksAndByAreNotCombined() {
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--stacks", "--by", "v"),
        "--stacks and --by cannot be combined", "drop --by");
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--pprof", "/tmp/p.pb.gz", "--by", "v"),
        "--stacks and --by cannot be combined", "drop --by");
  }

  @Test
  void aFlameWeightIsCallsOrTime() {
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--flame", "/tmp/f.svg", "--flame-weight", "bytes"),
        "--flame-weight bytes is neither calls nor time", "--flame-weight calls");
  }

  @Test
  void theDepthIsInRangeAndWithoutStreamedCallsNeedsStacks() {
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--stacks", "--stack=0"),
        "--stack=0 is not a depth gotrace walks", "from 1 to 127");
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--stack=4"),
        "--stack gives each streamed call its stack, and nothing is streamed", "or --stacks");
  }

  @Test
  void aFileInNoDirectoryIsRefusedBeforeTracing() {
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--folded", "/nonexistent/dir/x.folded"),
        "cannot write --folded /nonexistent/dir/x.folded: no directory /nonexistent/dir", "existing directory");
    refused(CliRun.of("latency", "/nonexistent/look", "main.leaf", "--flame", "/tmp"),
        "cannot write --flame /tmp: it is a directory", "existing directory");
  }
}
