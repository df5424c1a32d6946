package dev.gotrace.cli;

import static dev.gotrace.cli.FuncsCommandTest.demo;
import static dev.gotrace.cli.FuncsCommandTest.refused;

import dev.gotrace.testdata.TestBinaries;
import org.junit.jupiter.api.Test;

/** Refusals of {@code gotrace goroutines}: one line, a hint, a named exit code; no root needed. */
class GoroutinesCommandTest {
  @Test
  void aPatternIsAUsageError() {
    refused(CliRun.of("goroutines", demo(), "main.*"), ExitCode.USAGE, "takes no function pattern",
        "gotrace goroutines [BINARY]");
  }

  @Test
  void otherArchitectureIsRefused() {
    String arm = TestBinaries.get("go1.24", "arm64", "default", "server").path().toString();
    refused(CliRun.of("goroutines", arm), ExitCode.UNSUPPORTED, "built for arm64", "amd64");
  }

  @Test
  void absentTargetsAreNamed() {
    refused(CliRun.of("goroutines", "-p", "999999999"), ExitCode.NO_TARGET, "no process with pid 999999999", "ps");
    refused(CliRun.of("goroutines", "./no/such/server"), ExitCode.NO_TARGET, "no such file", "Go executable");
    refused(CliRun.of("goroutines", "--"), ExitCode.USAGE, "no command after --", "COMMAND");
    refused(CliRun.of("goroutines", demo(), "--duration", "soon"), ExitCode.USAGE, "invalid --duration", "10s");
  }
}
