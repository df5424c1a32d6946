package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code gotrace top} end to end in a real terminal: tmux runs a shell, the shell runs gotrace top
 * on the demo server; keys are sent with {@code send-keys}, the screen read with
 * {@code capture-pane}, and after {@code q} (and after Ctrl-C) the pane must be back on the normal
 * screen with the cursor visible, and the shell must echo and run a typed line again. Needs root (uprobes) and tmux (installed by .ci/run).
 */
class TopTmuxLiveTest {
  private static final long TIMEOUT_NS = 40_000_000_000L;

  @Test
  void liveTableKeysAndTerminalRestoredAfterQuitAndCtrlC() throws Exception {
    TestBinaries.requireRoot();
    requireTmux();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    String session = "gotrace-top-" + ProcessHandle.current().pid();
    try {
      String base = server.base();
      tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "16", "bash --norc --noprofile");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String command = String.join(" ", List.of(java, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "top", bin.toString(), "'main.*'", "-p", Long.toString(server.pid()),
          "--interval", "200ms"));
      // the shell prints each command's exit status before its prompt (also after a Ctrl-C)
      tmux("send-keys", "-t", session, "PROMPT_COMMAND='echo gotrace-exit=$?'", "Enter");
      tmux("send-keys", "-t", session, "clear; " + command, "Enter");
      // no calls yet: no rows, and the last line counts the functions left out
      awaitPane(session, p -> p.contains("sort CALLS") && p.contains("… 7 functions with no calls not shown"),
          "the live table");
      assertEquals("1", tmux("display", "-p", "-t", session, "#{alternate_on}").strip(), "alternate screen");

      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 3; i++) {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/?name=x&year=2021")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      String pane = awaitPane(session, p -> row(p, "main.prepareAnswer").matches(
          "main\\.prepareAnswer\\s+\\S+\\s+3\\s+.*"), "three calls of main.prepareAnswer");
      assertTrue(row(pane, "main.handler").matches("main\\.handler\\s+\\S+\\s+3\\s+.*"), pane);
      assertTrue(!pane.contains("main.envPort"), "no calls, not listed: " + pane);
      assertTrue(pane.contains("… 2 functions with no calls not shown (--all shows them)"), pane);
      assertTrue(pane.lines().anyMatch(l -> l.matches("go1\\.24\\.4  \\d+ probes  events 15  drops 0  .*")), pane);

      tmux("send-keys", "-t", session, ">");
      awaitPane(session, p -> p.contains("sort MEAN"), "sorted by MEAN after >");
      tmux("send-keys", "-t", session, "q");
      pane = awaitPane(session, p -> p.contains("gotrace-exit="), "gotrace top to quit on q");
      assertTrue(pane.contains("gotrace-exit=0"), pane);
      assertRestored(session, 7);

      tmux("send-keys", "-t", session, "clear; " + command, "Enter");
      awaitPane(session, p -> p.contains("sort CALLS"), "the live table again");
      tmux("send-keys", "-t", session, "C-c");
      pane = awaitPane(session, p -> p.contains("gotrace-exit="), "gotrace top to end on Ctrl-C");
      assertTrue(pane.contains("gotrace-exit=130"), pane);
      assertRestored(session, 8);
      assertTrue(server.isAlive(), "the server survives");
    } finally {
      try {
        tmux("kill-session", "-t", session);
      } catch (IOException | AssertionError e) {
        // already gone
      }
      server.close();
    }
  }

  /** The live view with --by year on the matrix's Go 1.27 server: a row per year, the key in its column. */
  @Test
  void liveTableWithARowPerKey() throws Exception {
    TestBinaries.requireRoot();
    requireTmux();
    Path bin = TestBinaries.get("go1.27", "amd64", "default", "server").path();
    GoServer server = GoServer.start(bin);
    String session = "gotrace-topby-" + ProcessHandle.current().pid();
    try {
      tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "16", "bash --norc --noprofile");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String command = String.join(" ", List.of(java, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "top", bin.toString(), "main.prepareAnswer", "--by", "year", "--sort", "key", "-p",
          Long.toString(server.pid()), "--interval", "200ms"));
      tmux("send-keys", "-t", session, "PROMPT_COMMAND='echo gotrace-exit=$?'", "Enter");
      tmux("send-keys", "-t", session, "clear; " + command, "Enter");
      awaitPane(session, p -> p.contains("sort FUNCTION"), "the live table, sorted by function and key");
      HttpClient client = HttpClient.newHttpClient();
      for (int year : new int[] {2021, 2020, 2021}) {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(server.base() + "/?name=x&year=" + year))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      String pane = awaitPane(session, p -> p.contains("main.prepareAnswer  2021"), "a row for 2021");
      List<String> rows = pane.lines().filter(l -> l.startsWith("main.prepareAnswer  ")).toList();
      assertEquals(2, rows.size(), pane);
      assertTrue(rows.get(0).matches("main\\.prepareAnswer  2020 +\\S+ +1 .*"), pane);
      assertTrue(rows.get(1).matches("main\\.prepareAnswer  2021 +\\S+ +2 .*"), pane);
      assertTrue(pane.lines().anyMatch(l -> l.matches("FUNCTION +year +CALLS/S +CALLS .*")), pane);
      tmux("send-keys", "-t", session, "q");
      pane = awaitPane(session, p -> p.contains("gotrace-exit="), "gotrace top to quit on q");
      assertTrue(pane.contains("gotrace-exit=0"), pane);
    } finally {
      try {
        tmux("kill-session", "-t", session);
      } catch (IOException | AssertionError e) {
        // already gone
      }
      server.close();
    }
  }

  private static void assertRestored(String session, int n) throws Exception {
    assertEquals("0 1", tmux("display", "-p", "-t", session, "#{alternate_on} #{cursor_flag}").strip(),
        "normal screen and a visible cursor");
    // the shell reads a line again: echo and canonical mode are back
    String typed = "echo typed-$((6*" + n + "))";
    tmux("send-keys", "-t", session, typed, "Enter");
    awaitPane(session, p -> p.contains(typed) && p.contains("typed-" + 6 * n + "\n"),
        "the shell to echo a typed line and run it");
  }

  private static String row(String pane, String function) {
    return pane.lines().filter(l -> l.startsWith(function + " ")).findFirst().orElse("");
  }

  private static String awaitPane(String session, Predicate<String> ok, String what) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT_NS;
    String pane = "";
    while (System.nanoTime() < deadline) {
      pane = tmux("capture-pane", "-p", "-t", session);
      if (ok.test(pane)) {
        return pane;
      }
      Thread.sleep(100);
    }
    fail("timed out waiting for " + what + "; the pane shows:\n" + pane);
    return pane;
  }

  private static void requireTmux() throws InterruptedException {
    try {
      tmux("-V");
    } catch (IOException | AssertionError e) {
      if (TestBinaries.inCi()) {
        fail("tmux is missing (.ci/run installs it) and CI=true forbids skipping");
      }
      Assumptions.abort("skipped: tmux is not installed (apt-get install tmux)");
    }
  }

  private static String tmux(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("tmux");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }
}
