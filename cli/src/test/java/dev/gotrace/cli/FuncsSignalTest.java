package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gotrace in its own JVM, ended by SIGTERM: it prints the summary, detaches, and the target lives on. */
class FuncsSignalTest {
  @TempDir Path tmp;

  @Test
  void sigtermPrintsTheSummaryAndDetaches() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    Process gotrace = null;
    try {
      String base = server.base();
      Path out = tmp.resolve("out");
      Path err = tmp.resolve("err");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      gotrace = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "funcs", bin.toString(), "main.handler", "-p", Long.toString(server.pid())))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(err).contains("Ctrl-C to end") && gotrace.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(Files.readString(err).contains("Ctrl-C to end"), Files.readString(err));
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 2; i++) {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/?name=x")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      while (Files.readString(out).lines().filter(l -> l.contains("main.handler")).count() < 2
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      gotrace.destroy();
      assertTrue(gotrace.waitFor(20, TimeUnit.SECONDS));
      assertEquals(ExitCode.TERMINATED.code(), gotrace.exitValue(), "ended by SIGTERM");
      String text = Files.readString(err);
      assertTrue(text.contains("2 calls in ") && text.contains(", 0 dropped"), text);
      assertTrue(text.matches("(?s).*\\n\\s+2  main\\.handler\\n.*"), text);
      // Detached: the server keeps answering.
      assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/?name=y")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertTrue(server.isAlive());
    } finally {
      if (gotrace != null) {
        gotrace.destroyForcibly();
      }
      server.close();
    }
  }

}
