package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gotrace serve refusing to start: one line naming the file and line, and the exit code. */
class ServeCommandTest {
  @TempDir Path tmp;

  @Test
  void aBadConfigIsOneLineNamingTheLineAndExit2() throws Exception {
    Path f = tmp.resolve("serve.yaml");
    Files.writeString(f, "prometheus: 9464\ntargets:\n  - binary: /usr/bin/server\n    patern: 'main.*'\n");
    CliRun r = CliRun.of("serve", f.toString());
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    assertEquals("gotrace: serve.yaml:4: unknown key \"patern\" (known: name, binary, process, functions, where, by,"
        + " max_keys)\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void aMissingConfigIsNoTarget() {
    CliRun r = CliRun.of("serve", tmp.resolve("nowhere.yaml").toString());
    assertEquals(ExitCode.NO_TARGET.code(), r.exitCode(), r.err());
    assertEquals("gotrace: no such file: " + tmp.resolve("nowhere.yaml"), r.err().lines().findFirst().orElse(""));
  }

  @Test
  void aPortInUseNamesTheLineAndExits2() throws Exception {
    TestBinaries.requireRoot(); // the privileges are checked before the endpoint binds
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path f = tmp.resolve("serve.yaml");
      Files.writeString(f, "pid_label: true\nprometheus: 127.0.0.1:" + taken.getLocalPort()
          + "\ntargets: [{binary: /usr/bin/server, functions: ['main.*']}]\n");
      CliRun r = CliRun.of("serve", f.toString());
      assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
      assertEquals("gotrace: serve.yaml:2: prometheus 127.0.0.1:" + taken.getLocalPort() + ": address in use\n",
          r.err());
    }
  }

  @Test
  void helpSaysWhatItNeeds() {
    CliRun r = CliRun.of("serve", "--help");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("Usage: gotrace serve [-hV] [--debug] CONFIG"), r.out());
    assertTrue(r.out().contains("SIGHUP reloads CONFIG"), r.out());
    assertTrue(r.out().contains("Needs root"), r.out());
  }
}
