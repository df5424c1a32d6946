package dev.gotrace.probes.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.support.ElfSymbols;
import dev.gotrace.probes.support.FdLeakCheck;
import dev.gotrace.probes.support.TracerMain;
import dev.gotrace.probes.support.Workload;
import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A tracer JVM killed with SIGKILL leaves no uprobe behind: the kernel closes its descriptors,
 * which detaches, so the workload completes, exits 0, and is back to untraced speed.
 */
@ExtendWith(FdLeakCheck.class)
class KilledTracerTest {

  @ParameterizedTest
  @EnumSource(AttachMode.class)
  void sigkilledTracerLeavesNoUprobe(AttachMode mode) throws Exception {
    TestBinaries.requireRoot();
    Path bin = Workload.binary();
    long hot = ElfSymbols.fileOffset(bin, "main.hot");
    int n = 100_000;
    Workload.Result untraced = Workload.run("-mode", "loop", "-n", Integer.toString(n));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process tracer = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        TracerMain.class.getName(), mode.name(), bin.toString(), Long.toString(hot)))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(tracer.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("attached"), "tracer said: " + line);

      Workload.Result traced = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      assertTrue(traced.nsPerCall() > 20 * Math.max(1.0, untraced.nsPerCall()),
          "the child's uprobe is live: " + traced.nsPerCall() + " vs " + untraced.nsPerCall());

      tracer.destroyForcibly(); // SIGKILL on Linux
      assertTrue(tracer.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, tracer.exitValue(), "killed by signal 9");

      Workload.Result after = Workload.run("-mode", "loop", "-n", Integer.toString(n));
      System.out.printf("%s: untraced %.1f, traced by child %.1f, after SIGKILL %.1f ns/call%n",
          mode, untraced.nsPerCall(), traced.nsPerCall(), after.nsPerCall());
      assertEquals(0, after.exitCode());
      assertEquals(n, after.calls().get("main.hot"));
      assertTrue(after.nsPerCall() < traced.nsPerCall() / 10,
          "untraced after SIGKILL: " + after.nsPerCall() + " ns/call");
    } finally {
      tracer.destroyForcibly();
      tracer.waitFor(30, TimeUnit.SECONDS);
      tracer.getOutputStream().close();
      tracer.getErrorStream().close();
    }
  }
}
