package dev.gotrace.cli;

import static dev.gotrace.cli.FuncsCommandTest.demo;
import static dev.gotrace.cli.FuncsCommandTest.refused;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    Path bin = tmp.resolve("server");
    byte[] image = Files.readAllBytes(TestBinaries.get("go1.27", "amd64", "stripped", "server").path());
    byte[] from = "\u0008go1.27.".getBytes(StandardCharsets.ISO_8859_1);
    int at = -1;
    for (int i = 0; at < 0 && i + from.length <= image.length; i++) {
      at = Arrays.equals(image, i, i + from.length, from, 0, from.length) ? i : -1;
    }
    assertTrue(at >= 0);
    System.arraycopy("\u0008go1.99.".getBytes(StandardCharsets.ISO_8859_1), 0, image, at, from.length);
    Files.write(bin, image);
    refused(CliRun.of("goroutines", bin.toString()), ExitCode.UNSUPPORTED,
        "has no DWARF and gotrace does not know the parameters of runtime.newproc1 in go1.99.3 (known without DWARF:"
            + " go1.15 to go1.27)", "trace a build with DWARF");
  }
}
