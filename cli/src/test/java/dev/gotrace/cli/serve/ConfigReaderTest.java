package dev.gotrace.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The serve config: what each key gives, and every error as one line naming file:line. */
class ConfigReaderTest {
  private static final Path FILE = Path.of("/etc/gotrace/serve.yaml");

  private static ServeConfig parse(String text) throws ConfigException {
    return ConfigReader.parse(FILE, text);
  }

  private static String error(String text) {
    String m = assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    return m;
  }

  @Test
  void everyKey() throws Exception {
    ServeConfig c = parse("""
        prometheus: 0.0.0.0:9999
        otlp:
          url: http://collector:4318/v1/metrics
          interval: 1.5s
        pid_label: true
        scan_interval: 250ms
        targets:
          - name: api
            binary: /usr/local/bin/../bin/api
            functions: ['main.handler', 're:^net/http\\.']
            where: 'year >= 2021'
            by: 'status, name'
            max_keys: 64
          - process: 'worker-*'
            functions: main.work
        """);
    assertEquals(new InetSocketAddress("0.0.0.0", 9999), c.prometheus().orElseThrow().address());
    assertEquals(1, c.prometheus().orElseThrow().line());
    assertEquals(new ServeConfig.Otlp(URI.create("http://collector:4318/v1/metrics"), Duration.ofMillis(1500)),
        c.otlp().orElseThrow());
    assertTrue(c.pidLabel());
    assertEquals(Duration.ofMillis(250), c.scanInterval());
    ServeConfig.Target api = c.targets().get(0);
    assertEquals("api", api.name());
    assertEquals(new ServeConfig.Binary(Path.of("/usr/local/bin/api")), api.select());
    assertEquals(List.of("main.handler", "re:^net/http\\."), api.functions());
    assertEquals(Optional.of("year >= 2021"), api.where());
    assertEquals(Optional.of("status, name"), api.by());
    assertEquals(64, api.maxKeys());
    assertEquals(8, api.line());
    ServeConfig.Target worker = c.targets().get(1);
    assertEquals("worker-*", worker.name(), "named after its glob by default");
    assertEquals(List.of("main.work"), worker.functions(), "one pattern without a list");
    assertEquals(ConfigReader.DEFAULT_MAX_KEYS, worker.maxKeys());
  }

  @Test
  void defaults() throws Exception {
    ServeConfig c = parse("prometheus: 9464\ntargets: [{binary: /srv/app, functions: ['main.*']}]\n");
    assertEquals(new InetSocketAddress("127.0.0.1", 9464), c.prometheus().orElseThrow().address(),
        "loopback unless told otherwise");
    assertEquals(Optional.empty(), c.otlp());
    assertFalse(c.pidLabel());
    assertEquals(Duration.ofSeconds(1), c.scanInterval());
    assertEquals("app", c.targets().get(0).name());
    assertEquals(new InetSocketAddress("::", 9464),
        parse("prometheus: '[::]:9464'\ntargets: [{binary: /a, functions: [x.y]}]").prometheus().get().address());
  }

  @Test
  void globsMatchNamesNotPaths() {
    ServeConfig.Process p = new ServeConfig.Process("api-{blue,green}*");
    assertTrue(p.matches("api-blue"));
    assertTrue(p.matches("api-green-2"));
    assertFalse(p.matches("api-red"));
    assertFalse(p.matches(""));
    assertFalse(p.matches("bin/api-blue"));
  }

  @Test
  void unknownKeysNameTheLineAndTheKnownOnes() {
    assertEquals("serve.yaml:4: unknown key \"patern\" (known: name, binary, process, functions, where, by, max_keys)",
        error("prometheus: 9464\ntargets:\n  - binary: /a\n    patern: x\n    functions: [x.y]\n"));
    assertEquals("serve.yaml:2: unknown key \"prometeus\" (known: prometheus, otlp, pid_label, scan_interval, targets)",
        error("prometheus: 9464\nprometeus: 1\ntargets: [{binary: /a, functions: [x.y]}]\n"));
    assertEquals("serve.yaml:2: unknown key \"every\" (known: url, interval)",
        error("otlp:\n  every: 1s\n  url: http://h/v1/metrics\ntargets: [{binary: /a, functions: [x.y]}]\n"));
  }

  @Test
  void targetsErrors() {
    String head = "prometheus: 9464\ntargets:\n";
    assertEquals("serve.yaml:3: a target needs binary: PATH (its executable) or process: PATTERN (a glob on the"
        + " process name)", error(head + "  - functions: [x.y]\n"));
    assertEquals("serve.yaml:3: binary: and process: exclude each other; give one per target",
        error(head + "  - binary: /a\n    process: a\n    functions: [x.y]\n"));
    assertEquals("serve.yaml:3: a target needs functions: a list of patterns, e.g. ['main.*']",
        error(head + "  - binary: /a\n"));
    assertEquals("serve.yaml:3: binary: srv/app is not an absolute path; the agent matches processes by the file,"
        + " e.g. binary: /usr/local/bin/server", error(head + "  - binary: srv/app\n    functions: [x.y]\n"));
    assertTrue(error(head + "  - binary: /a\n    functions: ['re:(']\n").startsWith("serve.yaml:4: functions: "));
    assertEquals("serve.yaml:5: target name \"app\" repeated (first on line 3); give each target its own name:",
        error(head + "  - binary: /srv/app\n    functions: [x.y]\n  - binary: /opt/app\n    functions: [x.y]\n"));
    assertEquals("serve.yaml:5: max_keys: 0 is not a number from 1 to 65536",
        error(head + "  - binary: /a\n    functions: [x.y]\n    max_keys: 0\n"));
    assertEquals("serve.yaml:1: no targets: list what to trace under targets:",
        error("prometheus: 9464\n\n"));
    assertTrue(error(head + "  - process: '[a'\n    functions: [x.y]\n")
        .startsWith("serve.yaml:3: process: '[a' is not a glob: "));
  }

  @Test
  void aBadExpressionNamesItsLineAndColumn() {
    String m = error("prometheus: 9464\ntargets:\n  - binary: /a\n    functions: [x.y]\n    where: 'year >= '\n");
    assertTrue(m.startsWith("serve.yaml:5: where: ") && m.endsWith("(column 9 of 'year >= ')"), m);
    String by = error("prometheus: 9464\ntargets:\n  - binary: /a\n    functions: [x.y]\n    by: 'a,,b'\n");
    assertTrue(by.startsWith("serve.yaml:5: by: ") && by.contains("of 'a,,b')"), by);
  }

  @Test
  void valuesAreChecked() {
    String tail = "targets: [{binary: /a, functions: [x.y]}]\n";
    assertEquals("serve.yaml:1: prometheus: 70000 is not [ADDR:]PORT (e.g. 9464, 127.0.0.1:9464, 0.0.0.0:9464 or"
        + " [::]:9464)", error("prometheus: 70000\n" + tail));
    assertEquals("serve.yaml:2: scan_interval: 1 is not a time with a unit (500ms, 1s, 2m, 1h)",
        error("prometheus: 9464\nscan_interval: 1\n" + tail));
    assertEquals("serve.yaml:2: scan_interval: 1ms is out of range: 10ms to 24h",
        error("prometheus: 9464\nscan_interval: 1ms\n" + tail));
    assertEquals("serve.yaml:2: pid_label: yes is not true or false", error("prometheus: 9464\npid_label: yes\n" + tail));
    assertEquals("serve.yaml:2: url: ftp://h/x is not an http:// or https:// URL",
        error("otlp:\n  url: ftp://h/x\n" + tail));
    assertEquals("serve.yaml:1: nothing to export: give prometheus: [ADDR:]PORT or otlp: {url: URL}", error(tail));
  }

  @Test
  void yamlItselfIsCheckedWithItsLine() {
    assertEquals("serve.yaml:1: empty; expected a mapping with targets: (and prometheus: or otlp:)", error(""));
    assertEquals("serve.yaml:2: key \"prometheus\" repeated (first on line 1)",
        error("prometheus: 1\nprometheus: 2\n"));
    String m = error("prometheus: 9464\ntargets:\n  - binary: /a\n   functions: [x]\n");
    assertTrue(m.startsWith("serve.yaml:4: not valid YAML: "), m);
    assertEquals("serve.yaml:1: the file must be a mapping of prometheus, otlp, pid_label, scan_interval, targets",
        error("- a\n- b\n"));
    assertTrue(error("prometheus: 9464\n---\nprometheus: 1\n").startsWith("serve.yaml:3: a second YAML document"));
  }
}
