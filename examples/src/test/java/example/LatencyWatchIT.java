package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LatencyWatch run the way the README says, from the repository root as root: {@code java -cp
 * dist/target/gotrace-VERSION.jar examples/src/main/java/example/LatencyWatch.java BINARY 'main.*'
 * --seconds N}, on the release jar, against a private copy of the demo server while this test
 * sends it requests. What it prints adds up to the requests.
 */
class LatencyWatchIT {
  private static final int REQUESTS = 9;
  private static final Pattern ROW = Pattern.compile("^  (\\S+) +(\\d+) calls  p99 +\\d+\\.\\d{3} ms$");

  @TempDir Path tmp;

  @Test
  void printsEveryCallOfTheDemoServer() throws Exception {
    TestBinaries.requireRoot();
    Path jar = Path.of(System.getProperty("gotrace.releaseJar"));
    assertTrue(Files.isRegularFile(jar), "the release jar is built first (module dist): " + jar);
    Path repo = TestBinaries.repoRoot();
    Path server = tmp.resolve("server"); // uprobes attach per inode: a file of this test's own
    Files.copy(TestBinaries.demoServer(), server, StandardCopyOption.COPY_ATTRIBUTES);
    try (GoServer s = GoServer.start(server)) {
      Process watch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", repo.relativize(jar).toString(), "examples/src/main/java/example/LatencyWatch.java",
          server.toString(), "main.*", "--seconds", "3")
          .directory(repo.toFile()).redirectError(tmp.resolve("stderr").toFile()).start();
      List<String> lines = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> watching = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            lines.add(l);
            if (l.startsWith("watching ")) {
              watching.complete(null);
            }
          }
        } catch (java.io.IOException e) {
          watching.completeExceptionally(e);
        }
        watching.complete(null);
      });
      reader.start();
      watching.get(60, TimeUnit.SECONDS); // compiled, the binary read and the probes attached
      assertEquals(List.of("watching main.* in " + server + " (" + goVersion(lines) + ")"), lines.subList(0, 1),
          Files.readString(tmp.resolve("stderr")));
      assertEquals(REQUESTS, s.requests(REQUESTS));
      assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "it ends after --seconds 3");
      reader.join(5000);
      assertEquals(0, watch.exitValue(), lines + "\n" + Files.readString(tmp.resolve("stderr")));
      Map<String, Long> calls = new TreeMap<>();
      for (String l : lines) {
        Matcher m = ROW.matcher(l);
        if (m.matches()) {
          calls.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
        }
      }
      System.out.println(String.join("\n", lines));
      long n = REQUESTS;
      // each request: handler, which calls checkSite (its goroutine asks the server for /ping) and prepareAnswer
      assertEquals(n, calls.get("main.handler"), lines.toString());
      assertEquals(n, calls.get("main.prepareAnswer"), lines.toString());
      assertEquals(n, calls.get("main.checkSite"), lines.toString());
      assertEquals(n, calls.get("main.ping"), lines.toString());
    }
  }

  /**
   * Run by a user without privileges (nobody, no capabilities), it says in one line what is
   * missing and what to do, the words the gotrace command prints, and exits 1.
   */
  @Test
  void withoutPrivilegesItSaysWhatIsMissing() throws Exception {
    TestBinaries.requireRoot(); // to become nobody
    Path dir = Files.createDirectory(tmp.resolve("open"));
    Path jar = Files.copy(Path.of(System.getProperty("gotrace.releaseJar")), dir.resolve("gotrace.jar"));
    Path source = Files.copy(TestBinaries.repoRoot().resolve("examples/src/main/java/example/LatencyWatch.java"),
        dir.resolve("LatencyWatch.java"));
    Path server = Files.copy(TestBinaries.demoServer(), dir.resolve("server"), StandardCopyOption.COPY_ATTRIBUTES);
    for (Path p : List.of(tmp, dir, jar, source, server)) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
          Files.isDirectory(p) || p.equals(server) ? "rwxr-xr-x" : "rw-r--r--"));
    }
    Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", "gotrace.jar", "LatencyWatch.java",
        "./server").directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertEquals(2, lines.size(), out);
    assertTrue(lines.get(0).matches("LatencyWatch: cannot load eBPF programs: missing \\[.*CAP_BPF.*\\].*"), out);
    assertEquals("hint: run as root, or grant CAP_BPF and CAP_PERFMON (see Requirements in the README)", lines.get(1));
  }

  /** The Go version in the "watching" line, which the demo server's build decides. */
  private static String goVersion(List<String> lines) {
    Matcher m = Pattern.compile("\\((go\\S+)\\)$").matcher(lines.get(0));
    assertTrue(m.find(), lines.get(0));
    return m.group(1);
  }
}
