package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gotrace.probes.priv.Feature;
import dev.gotrace.probes.priv.FeatureStatus;
import dev.gotrace.probes.priv.Features;
import dev.gotrace.probes.priv.KernelVersion;
import dev.gotrace.probes.priv.UnsupportedFeature;
import dev.gotrace.testdata.TestBinaries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A kernel without a feature tracing needs: one line naming the feature and the kernel that has
 * it, a hint, and exit code 9 ({@link ExitCode#NO_KERNEL_FEATURE}), never "internal error".
 */
class KernelRefusalTest {
  private static final FeatureStatus NO_MULTI =
      FeatureStatus.absent(Feature.UPROBE_MULTI, KernelVersion.parse("6.1.0"), "");
  private static final FeatureStatus NO_PMU = FeatureStatus.absent(Feature.UPROBE_PMU);
  private static final String BOTH = "uprobe_multi links not supported (requires Linux >= 6.6, running 6.1.0);"
      + " uprobe perf events not supported (requires Linux >= 4.17 with CONFIG_UPROBE_EVENTS)";

  @Command(name = "refuse")
  static final class Refuse implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new UnsupportedFeature(NO_MULTI, NO_PMU);
    }
  }

  /** No root: the refusal, constructed, through the same handler every command runs under. */
  @Test
  void aMissingFeatureIsOneLineWithItsOwnExitCode() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Refuse());
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(Errors::onExecutionError);
    int code = cl.execute();
    assertEquals(9, code);
    assertEquals(ExitCode.NO_KERNEL_FEATURE.code(), code);
    assertEquals(List.of("gotrace: " + BOTH,
        "hint: trace on a kernel that has it; see Requirements in the README (Linux >= 6.6 with BTF)"),
        err.toString().strip().lines().toList());
  }

  /**
   * Root: every tracing command on a kernel whose feature probes answer "absent" (forced through
   * {@link Features#assume}) stops at attach with the refusal; nothing is attached.
   */
  @Test
  void everyTracingCommandRefusesOnAKernelWithoutUprobes() {
    TestBinaries.requireRoot();
    String server = TestBinaries.get("go1.24", "amd64", "default", "server").path().toString();
    try (Features.Assumption a = Features.assume(NO_MULTI); Features.Assumption b = Features.assume(NO_PMU)) {
      for (List<String> args : List.of(
          List.of("funcs", server, "main.handler"),
          List.of("args", server, "main.handler"),
          List.of("latency", server, "main.handler"),
          List.of("goroutines", server))) {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        String err = r.err().lines().filter(l -> !l.startsWith("gotrace: note: ")).reduce("", (x, y) -> x + y + "\n");
        FuncsCommandTest.refused(new CliRun(r.exitCode(), r.out(), err), ExitCode.NO_KERNEL_FEATURE, BOTH,
            "see Requirements in the README");
        assertFalse(r.err().contains("internal error"), r.err());
      }
    }
  }
}
