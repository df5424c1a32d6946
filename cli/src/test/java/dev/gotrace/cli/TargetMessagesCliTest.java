package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What gotrace says about its target, through the CLI as a user runs it: exit code and the first
 * line of standard error. None of these needs bpf(2): each refusal comes before the attach.
 */
class TargetMessagesCliTest {
  private static Path server() {
    return TestBinaries.get("go1.24", "amd64", "default", "server").path();
  }

  /** A zombie (a child its parent does not reap) has exited: the ended-target code, not "run as root". */
  @Test
  void zombieProcessHasExited() throws Exception {
    Path workload = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    // The shell starts the workload in the background, prints its pid, then becomes sleep, which
    // never waits for it: the workload ends after one round and stays a zombie.
    Process parent = new ProcessBuilder("sh", "-c", "'" + workload + "' -n 1 >/dev/null & echo $!; exec sleep 60")
        .redirectErrorStream(true).start();
    try {
      int pid = Integer.parseInt(new BufferedReader(new InputStreamReader(parent.getInputStream(),
          StandardCharsets.UTF_8)).readLine().strip());
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!stateOf(pid).equals("Z") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals("Z", stateOf(pid), "pid " + pid + " did not become a zombie");
      for (String cmd : List.of("funcs", "latency", "args")) {
        CliRun r = CliRun.of(cmd, "main.main", "-p", Integer.toString(pid));
        assertEquals(ExitCode.NO_TARGET.code(), r.exitCode(), r.err());
        assertEquals("gotrace: pid " + pid + " has exited (a zombie: its parent has not reaped it yet)",
            r.err().lines().findFirst().orElse(""));
      }
      CliRun g = CliRun.of("goroutines", "-p", Integer.toString(pid));
      assertEquals(ExitCode.NO_TARGET.code(), g.exitCode(), g.err());
      assertTrue(g.err().startsWith("gotrace: pid " + pid + " has exited"), g.err());
      // its parent is sleep, no Go program: the refusal names the pid and the file by its own path
      CliRun notGo = CliRun.of("funcs", "main.main", "-p", Long.toString(parent.pid()));
      assertEquals(ExitCode.NOT_GO.code(), notGo.exitCode(), notGo.err());
      String sleep = Files.readSymbolicLink(Path.of("/proc/" + parent.pid() + "/exe")).toString();
      assertTrue(notGo.err().startsWith("gotrace: pid " + parent.pid() + " runs " + sleep + ": "), notGo.err());
    } finally {
      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String stateOf(int pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  }

  /**
   * A file in a directory the user may not enter is a permission problem (7) naming the
   * directory, not "no such file" (8). Run as nobody; the test itself runs as root in CI.
   */
  @Test
  void fileInAClosedDirectoryIsAPermissionProblem() throws Exception {
    TestBinaries.requireRoot();
    Path closed = Files.createTempDirectory("gotrace-closed");
    try {
      Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
      Path bin = closed.resolve("server");
      Files.copy(server(), bin);
      Path cwd = Path.of("/tmp");
      for (String cmd : List.of("list", "info", "funcs")) {
        CliProcess r = cmd.equals("info") ? CliProcess.asNobody(cwd, cmd, bin.toString())
            : CliProcess.asNobody(cwd, cmd, bin.toString(), "main.*");
        assertEquals(ExitCode.NO_PERMISSION.code(), r.exitCode(), cmd + ": " + r.err());
        assertEquals("gotrace: cannot read " + bin + ": permission denied (directory " + closed
            + " is not open to this user)", r.firstErrLine(), cmd);
        assertTrue(r.err().lines().skip(1).findFirst().orElse("").startsWith("hint: run gotrace as root"), r.err());
      }
      // a file that really is missing, in a directory nobody may read, is still "no such file"
      Path open = Files.createTempDirectory("gotrace-open");
      try {
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        CliProcess missing = CliProcess.asNobody(cwd, "list", open.resolve("server").toString());
        assertEquals(ExitCode.NO_TARGET.code(), missing.exitCode(), missing.err());
        assertEquals("gotrace: no such file: " + open.resolve("server"), missing.firstErrLine());
      } finally {
        Files.delete(open);
      }
    } finally {
      Files.deleteIfExists(closed.resolve("server"));
      Files.delete(closed);
    }
  }

  /** -p names the file the process was started from, not /proc/PID/root/...; the pid is given once. */
  @Test
  void pidTargetIsNamedByItsOwnPath() throws Exception {
    Path bin = server();
    try (GoServer s = GoServer.start(bin)) {
      String pid = Integer.toString(s.pid());
      CliRun r = CliRun.of("funcs", "main.noSuchFunction", "-p", pid, "-p", pid);
      assertEquals(ExitCode.NO_MATCH.code(), r.exitCode(), r.err());
      assertEquals("gotrace: no function of " + bin.toRealPath() + " matches main.noSuchFunction",
          r.err().lines().findFirst().orElse(""));
      assertFalse(r.err().contains("/proc/"), r.err());
    }
  }

  /**
   * Several processes found by discovery: one line each (pid, Go version, command line), what the
   * user typed in the first line, how to pick one in the hint, exit code 2 (usage).
   */
  @Test
  void severalDiscoveredProcessesAreListedOnePerLine() throws Exception {
    Path bin = server();
    try (GoServer a = GoServer.start(bin); GoServer b = GoServer.start(bin)) {
      CliRun r = CliRun.of("funcs", "main.prepareAnswer");
      assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
      List<String> lines = r.err().lines().toList();
      assertTrue(lines.get(0).matches("gotrace: \\d+ running Go processes have a function matching main\\.prepareAnswer:"),
          lines.get(0));
      for (GoServer s : List.of(a, b)) {
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +" + s.pid() + "  go1\\.24\\.\\d+ +" + bin + " -port 0")),
            "no line for " + s.pid() + " in\n" + r.err());
      }
      // command lines are cut: a process line fits a terminal
      assertTrue(lines.stream().filter(l -> l.startsWith(" ")).allMatch(l -> l.length() <= 100), r.err());
      assertEquals("hint: pick one with -p PID (gotrace funcs -p PID main.prepareAnswer), or name the BINARY to"
          + " trace every process running it", lines.get(lines.size() - 1));

      // goroutines without a BINARY: every Go process qualifies; the message names no function
      CliRun g = CliRun.of("goroutines");
      assertEquals(ExitCode.USAGE.code(), g.exitCode(), g.err());
      assertTrue(g.err().lines().findFirst().orElse("").matches("gotrace: \\d+ Go processes are running:"), g.err());
      assertFalse(g.err().contains("newproc1"), g.err());
      assertTrue(g.err().contains("(gotrace goroutines -p PID)"), g.err());
    }
  }

  /**
   * A first argument with no slash: an existing file is the BINARY; a name that is neither a file
   * nor a plausible pattern is refused, with the near miss in the working directory; patterns
   * stay patterns.
   */
  @Test
  void firstArgumentIsAFileOrAPatternNeverSilentlyBoth(@TempDir Path cwd) throws Exception {
    Files.copy(server(), cwd.resolve("server"));
    Files.copy(server(), cwd.resolve("server.v2"));

    CliProcess typo = CliProcess.in(cwd, "funcs", "servr", "main.*");
    assertEquals(ExitCode.NO_TARGET.code(), typo.exitCode(), typo.err());
    assertEquals("gotrace: no such file, and not a function pattern: servr", typo.firstErrLine());
    assertTrue(typo.err().contains("hint: did you mean ./server?"), typo.err());

    CliProcess existing = CliProcess.in(cwd, "funcs", "server", "main.noSuchFunction");
    assertEquals(ExitCode.NO_MATCH.code(), existing.exitCode(), existing.err());
    assertEquals("gotrace: no function of server matches main.noSuchFunction", existing.firstErrLine());

    // a dotted name is a plausible pattern: discovery runs, and the miss says which file was meant
    CliProcess dotted = CliProcess.in(cwd, "funcs", "servr.v2");
    assertEquals(ExitCode.NO_TARGET.code(), dotted.exitCode(), dotted.err());
    assertEquals("gotrace: no running Go process has a function matching servr.v2", dotted.firstErrLine());
    assertTrue(dotted.err().contains("hint: did you mean the file ./server.v2?"), dotted.err());

    CliRun none = CliRun.of("goroutines", "nosuchbinary");
    assertEquals(ExitCode.NO_TARGET.code(), none.exitCode(), none.err());
    assertTrue(none.err().startsWith("gotrace: no such file, and not a function pattern: nosuchbinary\n"
        + "hint: give the path of a Go executable"), none.err());

    try (GoServer s = GoServer.start(server())) {
      String pid = Integer.toString(s.pid());
      for (String pattern : List.of("main.noSuch*", "net/http.noSuch*", "*NoSuchHandler", "re:^main\\.noSuch$")) {
        CliRun r = CliRun.of("funcs", pattern, "-p", pid);
        assertEquals(ExitCode.NO_MATCH.code(), r.exitCode(), pattern + ": " + r.err());
        assertTrue(r.err().startsWith("gotrace: no function of "), pattern + ": " + r.err());
      }
    }
  }
}
