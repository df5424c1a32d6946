package dev.gotrace.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of deploy/ are what they say: the configs parse with the real reader, the unit passes systemd's check. */
class DeployFilesTest {
  private static final Path DEPLOY = TestBinaries.repoRoot().resolve("deploy");

  @TempDir Path tmp;

  @Test
  void theExampleConfigIsValid() throws Exception {
    ServeConfig c = ConfigReader.read(DEPLOY.resolve("serve.yaml"));
    assertEquals(9464, c.prometheus().orElseThrow().address().getPort());
    assertTrue(c.prometheus().get().address().getAddress().isLoopbackAddress());
    assertEquals(List.of("api", "workers"), c.targets().stream().map(ServeConfig.Target::name).toList());
    assertTrue(c.targets().get(1).question().isPresent(), "the example shows where: and by:");
  }

  @Test
  void theDaemonSetParsesAndItsConfigMapIsAValidConfig() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .<JsonNode>readValues(DEPLOY.resolve("daemonset.yaml").toFile())) {
      it.forEachRemaining(docs::add);
    }
    assertEquals(List.of("Namespace", "ConfigMap", "DaemonSet"), docs.stream().map(d -> d.path("kind").asText()).toList());
    String embedded = docs.get(1).path("data").path("serve.yaml").asText();
    ServeConfig c = ConfigReader.parse(Path.of("serve.yaml"), embedded);
    JsonNode pod = docs.get(2).path("spec").path("template");
    assertEquals("true", pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText());
    assertEquals(String.valueOf(c.prometheus().orElseThrow().address().getPort()),
        pod.path("metadata").path("annotations").path("prometheus.io/port").asText());
    assertTrue(c.prometheus().get().address().getAddress().isAnyLocalAddress(), "scraped from outside the pod");
    JsonNode spec = pod.path("spec");
    assertTrue(spec.path("hostPID").asBoolean(), "sees the node's processes");
    JsonNode container = spec.path("containers").get(0);
    assertEquals("[\"serve\",\"/etc/gotrace/serve.yaml\"]", container.path("args").toString());
    List<String> caps = new ArrayList<>();
    container.path("securityContext").path("capabilities").path("add").forEach(n -> caps.add(n.asText()));
    assertTrue(caps.containsAll(List.of("BPF", "PERFMON", "SYS_PTRACE")), caps.toString());
    Map<String, String> mounts = new java.util.HashMap<>();
    container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
    assertEquals("/etc/gotrace", mounts.get("config"));
    assertEquals("/sys/kernel/btf", mounts.get("btf"));
  }

  /**
   * {@code systemd-analyze verify} on the unit, with ExecStart's program replaced by this
   * checkout's launcher (verify refuses a program that does not exist here); required under CI.
   */
  @Test
  void theUnitFilePassesSystemdAnalyzeVerify() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    if (!Files.isExecutable(analyze)) {
      if (TestBinaries.inCi()) {
        fail("systemd-analyze is missing: install systemd to check deploy/gotrace-serve.service");
      }
      Assumptions.abort("systemd-analyze is not installed (off CI)");
    }
    String unit = Files.readString(DEPLOY.resolve("gotrace-serve.service"), StandardCharsets.UTF_8);
    assertTrue(unit.contains("\nExecStart=/usr/local/bin/gotrace serve /etc/gotrace/serve.yaml\n"), unit);
    assertTrue(unit.contains("\nExecReload=/bin/kill -HUP $MAINPID\n"), unit);
    assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
    assertTrue(unit.contains("\nAmbientCapabilities=CAP_BPF CAP_PERFMON CAP_SYS_PTRACE"), unit);
    Path copy = tmp.resolve("gotrace-serve.service");
    Files.writeString(copy, unit.replace("/usr/local/bin/gotrace", TestBinaries.repoRoot().resolve("gotrace").toString()));
    Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.strip(), "no warnings: " + out);
  }

  @Test
  void aBrokenUnitIsCaught() throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
    Path bad = tmp.resolve("bad.service");
    Files.writeString(bad, "[Service]\nExecStart=relative/gotrace serve x\n");
    Process p = new ProcessBuilder("/usr/bin/systemd-analyze", "verify", bad.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertTrue(p.exitValue() != 0 || !out.isBlank(), "the check can fail: " + out);
  }
}
