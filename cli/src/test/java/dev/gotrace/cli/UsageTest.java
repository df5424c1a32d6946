package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UsageTest {
  @Test
  void helpListsTheCommands() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("Usage: gotrace"), r.out());
    for (String cmd : GotraceCommandNames.ALL) {
      assertTrue(r.out().contains("  " + cmd + " "), "missing " + cmd + " in\n" + r.out());
    }
    String footer = r.out().substring(r.out().indexOf("Exit codes:")).replace("\n", " ");
    for (ExitCode c : ExitCode.values()) {
      assertTrue(footer.contains(" " + c.code() + " " + c.brief()), "missing exit code " + c + " in\n" + r.out());
    }
  }

  @Test
  void unknownOptionIsOneLineWithAHintAndExitCode2() {
    CliRun r = CliRun.of("--no-such-option");
    assertEquals(ExitCode.USAGE.code(), r.exitCode());
    String[] lines = r.err().split("\n");
    assertEquals(2, lines.length, r.err());
    assertEquals("gotrace: unknown option '--no-such-option' for gotrace", lines[0]);
    assertTrue(lines[1].startsWith("hint: "), lines[1]);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void versionNamesGotraceAndJava() {
    CliRun r = CliRun.of("--version");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().startsWith("gotrace "), r.out());
  }
}
