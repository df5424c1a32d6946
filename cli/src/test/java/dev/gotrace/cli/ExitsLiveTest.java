package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * How gotrace ends, as root, gotrace in its own JVM where a signal or a pipe is involved: the exit
 * code and what it tells on stderr, and what becomes of the target.
 */
class ExitsLiveTest {
  @TempDir Path tmp;

  /** gotrace in its own JVM, stderr to a file; stdout to {@code out}, or a pipe to this JVM when null. */
  private static Process gotrace(Path err, Path out, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    if (out != null) {
      pb.redirectOutput(out.toFile());
    }
    return pb.start();
  }

  private static void awaitAttached(Process p, Path err) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.readString(err).contains("Ctrl-C to end") && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(Files.readString(err).contains("Ctrl-C to end"), "not attached: " + Files.readString(err));
  }

  @Test
  void aClosedPipeDetachesAndExits141EvenWithNothingToPrint() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    Path err = tmp.resolve("err");
    try (GoServer server = GoServer.start(bin)) {
      Process p = gotrace(err, null, "funcs", bin.toString(), "main.handler", "-p", Integer.toString(server.pid()));
      try {
        awaitAttached(p, err);
        // as `| head -1`: read the header line, then close the only reading end of the pipe
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(r.readLine().startsWith("TIME "));
        r.close();
        // no call happens meanwhile: gotrace must notice the closed pipe without writing to it
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "gotrace still runs 10 s after its reader went away");
        assertEquals(ExitCode.OUTPUT_CLOSED.code(), p.exitValue(), Files.readString(err));
        List<String> lines = Files.readAllLines(err);
        assertTrue(lines.get(0).startsWith("Tracing 1 function of "), lines.get(0));
        assertEquals("gotrace: standard output was closed (its reader ended); detaching", lines.get(1));
        assertFalse(Files.readString(err).contains("\tat "), Files.readString(err));
        // the probes went with the process, and the target runs on untouched
        assertEquals(3, server.requests(3));
        assertTrue(server.isAlive());
      } finally {
        p.destroyForcibly();
      }
    }
  }

  /** list into a pipe whose reader reads one line and goes: exit 141, as for a tracing run (no root needed). */
  @Test
  void listIntoAClosedPipeExits141() throws Exception {
    Path err = tmp.resolve("err");
    Process p = gotrace(err, null, "list", TestBinaries.demoServer().toString());
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(r.readLine().startsWith("0x"));
      r.close(); // thousands of lines, more than a pipe holds, are still to come
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(ExitCode.OUTPUT_CLOSED.code(), p.exitValue(), Files.readString(err));
      assertEquals("", Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * Ctrl-C while gotrace is still planning (latency of every function of the go command, some
   * seconds of work) ends it at once with exit code 130: nothing was launched or attached, so there
   * is nothing to wait for, and it says so. The signal is sent once the binary is mapped, that is
   * while it is being read.
   */
  @Test
  void ctrlCWhilePlanningEndsAtOnceSayingNothingWasAttached() throws Exception {
    TestBinaries.requireRoot();
    Path go = tmp.resolve("go"); // a private copy: uprobes attach per inode
    Files.copy(TestBinaries.cacheDir().resolve("toolchains/go1.27/usr/lib/go-1.27/bin/go"), go);
    Path err = tmp.resolve("err");
    Path out = tmp.resolve("out");
    Process p = gotrace(err, out, "latency", go.toString(), "*", "--max-sites", "10000000", "--duration", "60s");
    try {
      Path maps = Path.of("/proc", Long.toString(p.pid()), "maps");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (p.isAlive() && !Files.readString(maps).contains(go.toString()) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
      String text = Files.readString(err);
      assertEquals(ExitCode.INTERRUPTED.code(), p.exitValue(), text);
      assertFalse(text.contains("Timing "), "planned and attached before the signal: " + text);
      assertTrue(text.contains("gotrace: stopped before anything was attached or launched"), text);
      assertEquals("", Files.readString(out));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void ctrlCExits130AfterTheSummary() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    Path err = tmp.resolve("err");
    Path out = tmp.resolve("out");
    try (GoServer server = GoServer.start(bin)) {
      Process p = gotrace(err, out, "funcs", bin.toString(), "main.handler", "-p", Integer.toString(server.pid()));
      try {
        awaitAttached(p, err);
        assertEquals(1, server.requests(1));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.readString(out).contains("main.handler") && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(ExitCode.INTERRUPTED.code(), p.exitValue(), Files.readString(err));
        assertTrue(Files.readString(err).contains("1 calls in ") || Files.readString(err).contains("1 call in "),
            Files.readString(err));
        assertEquals(1, server.requests(1));
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aKilledGotraceTakesTheCommandItLaunched() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    Path err = tmp.resolve("err");
    Process p = gotrace(err, tmp.resolve("out"), "funcs", "main.handler", "--", bin.toString(), "-port", "0");
    long child = -1;
    try {
      awaitAttached(p, err);
      Matcher m = Pattern.compile("\\(launched as pid (\\d+)\\)").matcher(Files.readString(err));
      assertTrue(m.find(), Files.readString(err));
      child = Long.parseLong(m.group(1));
      assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the command runs");
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
          "the launched command " + child + " outlived the killed gotrace by 10 s");
    } finally {
      p.destroyForcibly();
      if (child > 0) {
        ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void aTargetThatExitsDuringAttachIsNamedWithExitCode8() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
      FuncsCommand funcs = cl.getSubcommands().get("funcs").getCommand();
      funcs.beforeAttach = server::close; // the target ends after planning, before the probes are attached
      int code = cl.execute("funcs", bin.toString(), "main.handler", "-p", Integer.toString(server.pid()));
      assertFalse(server.isAlive());
      assertEquals(ExitCode.NO_TARGET.code(), code, err.toString());
      String[] lines = err.toString().split("\n");
      assertEquals("gotrace: pid " + server.pid() + " exited while gotrace was attaching its probes", lines[0]);
      assertTrue(lines[1].startsWith("hint: "), err.toString());
      assertFalse(err.toString().contains("\tat "), err.toString());
    } finally {
      server.close();
    }
  }
}
