package dev.gotrace.cli;

import static dev.gotrace.cli.FuncsCommandTest.demo;
import static dev.gotrace.cli.FuncsCommandTest.refused;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.NextGo;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /** A stripped Go 1.27 build whose build-info version reads go1.99: nothing to derive newproc1's layout from. */
  @Test
  void anUnknownGoWithoutDwarfIsRefused(@TempDir Path tmp) throws Exception {
    Path bin = NextGo.write(TestBinaries.get("go1.27", "amd64", "stripped", "server"), tmp.resolve("server"));
    refused(CliRun.of("goroutines", bin.toString()), ExitCode.UNSUPPORTED,
        "has no DWARF and gotrace does not know the parameters of runtime.newproc1 in go1.99.3 (known without DWARF:"
            + " go1.15 to go1.27)", "trace a build with DWARF");
  }
}
