package dev.gotrace.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.BpfHeld;
import dev.gotrace.probes.objects.BpfObjects;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.OtlpReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gotrace serve, as root, against copies of the demo server under names of their own: it follows
 * processes as they start and exit (each one's series appear on /metrics and go), reloads on
 * SIGHUP (a removed target's probes are detached, a new one's attached, a bad file is logged and
 * the running config kept), and on SIGTERM detaches everything and exits 0, leaving none of its
 * programs and links in the kernel (the reliability suite's check, by id).
 */
class ServeLiveTest {
  @TempDir Path tmp;

  @Test
  void followsProcessesReloadsOnSighupAndLeavesNothingOnSigterm() throws Exception {
    TestBinaries.requireRoot();
    Path alpha = copy("svalpha");
    Path beta = copy("svbeta");
    Path beta2 = copy("svbeta2");
    Path gamma = copy("svgamma");
    int port = freePort();
    Path config = tmp.resolve("serve.yaml");
    OtlpReceiver otlp = OtlpReceiver.start();
    String head = "prometheus: 127.0.0.1:" + port + "\notlp: {url: '" + otlp.metricsUrl() + "', interval: 500ms}\n"
        + "pid_label: true\nscan_interval: 200ms\ntargets:\n";
    Files.writeString(config, head
        + "  - name: alpha\n    binary: " + alpha + "\n    functions: [main.handler]\n"
        + "  - name: betas\n    process: 'svbeta*'\n    functions: ['main.handler']\n");
    try (otlp; GoServer a = GoServer.start(alpha); GoServer b = GoServer.start(beta);
        ServeJvm serve = ServeJvm.start(config, port)) {
      serve.awaitLine("attached pid " + a.pid() + " (" + alpha + ", target alpha: 1 function, ");
      serve.awaitLine("attached pid " + b.pid() + " (" + beta + ", target betas: 1 function, ");
      assertEquals(3, a.requests(3));
      assertEquals(5, b.requests(5));
      serve.awaitCalls("svalpha", a.pid(), "main.handler", 3);
      serve.awaitCalls("svbeta", b.pid(), "main.handler", 5);
      otlp.awaitMetrics(l -> !l.isEmpty() && pushed(l.get(l.size() - 1), "svalpha", "main.handler") == 3
          && pushed(l.get(l.size() - 1), "svbeta", "main.handler") == 5, 20_000);

      // one target exits: its series go, and its links with it
      BpfHeld twoProcesses = BpfHeld.of(serve.pid());
      b.close();
      assertEquals("gotrace serve: detached pid " + b.pid() + " (" + beta + ", exited)",
          serve.awaitLine("detached pid " + b.pid()));
      String after = serve.metrics();
      assertFalse(after.contains("binary=\"svbeta\""), after);
      assertEquals(3, ServeJvm.calls(after, "svalpha", a.pid(), "main.handler").orElse(-1));
      assertTrue(BpfHeld.of(serve.pid()).links().size() < twoProcesses.links().size(), "the exited one's links closed");

      // a third starts: it is attached and counted
      try (GoServer b2 = GoServer.start(beta2); GoServer g = GoServer.start(gamma)) {
        serve.awaitLine("attached pid " + b2.pid() + " (" + beta2 + ", target betas: ");
        assertEquals(2, b2.requests(2));
        serve.awaitCalls("svbeta2", b2.pid(), "main.handler", 2);
        assertFalse(serve.log().contains("pid " + g.pid()), "gamma is in no target yet: " + serve.log());

        // SIGHUP with alpha removed and gamma added
        BpfHeld beforeReload = BpfHeld.of(serve.pid());
        Files.writeString(config, head
            + "  - name: betas\n    process: 'svbeta*'\n    functions: ['main.handler']\n"
            + "  - name: gamma\n    binary: " + gamma + "\n    functions: ['main.handler', 'main.prepareAnswer']\n");
        serve.hangup();
        serve.awaitLine("gotrace serve: reloaded serve.yaml: 2 targets");
        assertEquals("gotrace serve: detached pid " + a.pid() + " (" + alpha + ", target alpha no longer in serve.yaml)",
            serve.awaitLine("detached pid " + a.pid()));
        serve.awaitLine("attached pid " + g.pid() + " (" + gamma + ", target gamma: 2 functions, ");
        assertFalse(serve.log().contains("detached pid " + b2.pid()), "an unchanged target keeps its processes");
        Set<Integer> gone = new HashSet<>(beforeReload.links());
        gone.removeAll(BpfHeld.of(serve.pid()).links());
        assertFalse(gone.isEmpty(), "alpha's links were closed");
        assertTrue(eventually(() -> BpfObjects.links().stream().noneMatch(l -> gone.contains(l.id()))),
            "alpha's links are gone from the kernel: " + gone);
        assertEquals(1, g.requests(1));
        serve.awaitCalls("svgamma", g.pid(), "main.prepareAnswer", 1);
        String reloaded = serve.metrics();
        assertFalse(reloaded.contains("binary=\"svalpha\""), reloaded);
        assertEquals(1, a.requests(1), "alpha runs on, untraced");

        // SIGHUP with a broken file: one line, the running config kept
        Files.writeString(config, head + "  - name: betas\n    proces: 'svbeta*'\n");
        serve.hangup();
        assertEquals("gotrace serve: serve.yaml:7: unknown key \"proces\" (known: name, binary, process, functions,"
            + " where, by, max_keys); kept the running config", serve.awaitLine("kept the running config"));
        assertEquals(1, b2.requests(1));
        serve.awaitCalls("svbeta2", b2.pid(), "main.handler", 3);

        // SIGTERM: everything detached, exit 0, nothing left in the kernel
        BpfHeld held = BpfHeld.of(serve.pid());
        assertFalse(held.programs().isEmpty() || held.links().isEmpty(), held.toString());
        serve.process().destroy();
        assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "ended by SIGTERM: " + serve.log());
        assertEquals(0, serve.process().exitValue(), serve.log());
        List<String> lines = serve.log().lines().toList();
        assertEquals("gotrace serve: stopped: 2 processes detached", lines.get(lines.size() - 1), serve.log());
        assertTrue(lines.contains("gotrace serve: detached pid " + g.pid() + " (" + gamma + ", stopped)"), serve.log());
        assertTrue(eventually(() -> held.programs().stream().allMatch(id -> BpfObjects.program(id).isEmpty())),
            "programs left: " + held.programs());
        assertTrue(eventually(() -> BpfObjects.links().stream().noneMatch(l -> held.links().contains(l.id())
            || held.programs().contains(l.programId()))), "links left: " + BpfObjects.links());
        ExportMetricsServiceRequest last = otlp.metricRequests().get(otlp.metricRequests().size() - 1);
        assertEquals(1, pushed(last, "svgamma", "main.handler"), "the final push has the final numbers");
        assertEquals(3, pushed(last, "svbeta2", "main.handler"));
        assertEquals(-1, pushed(last, "svalpha", "main.handler"), "a detached process is no longer pushed");
        assertEquals(1, g.requests(1), "the targets run on");
        assertEquals(1, b2.requests(1));
        assertTrue(serve.log().lines().allMatch(l -> l.startsWith("gotrace serve: ")), "every line is one event: "
            + serve.log());
      }
    }
  }

  /** gotrace_calls of {@code function} in the resource of {@code binary} (service.name), -1 when not pushed. */
  private static long pushed(ExportMetricsServiceRequest q, String binary, String function) {
    long n = -1;
    for (ResourceMetrics rm : q.getResourceMetricsList()) {
      boolean ours = rm.getResource().getAttributesList().stream()
          .anyMatch(kv -> kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals(binary));
      if (!ours) {
        continue;
      }
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (!m.getName().equals("gotrace_calls")) {
            continue;
          }
          for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            if (p.getAttributesList().stream().anyMatch(kv -> kv.getKey().equals("function")
                && kv.getValue().getStringValue().equals(function))) {
              n = Math.max(0, n) + p.getAsInt();
            }
          }
        }
      }
    }
    return n;
  }

  private Path copy(String name) throws IOException {
    Path to = tmp.resolve(name);
    Files.copy(TestBinaries.demoServer(), to, StandardCopyOption.COPY_ATTRIBUTES);
    return to;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The kernel frees a link's program after an RCU grace period: wait up to 10 s. */
  private static boolean eventually(BooleanSupplier check) throws InterruptedException {
    for (int i = 0; i < 200 && !check.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    return check.getAsBoolean();
  }
}
