package dev.gotrace.cli.serve;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.cli.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * {@code gotrace serve CONFIG} in a JVM of its own (the test classpath), so that it gets real
 * signals; its log in a file, its /metrics scraped directly.
 */
final class ServeJvm implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServeJvm(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static ServeJvm start(Path config, int port) throws IOException {
    Path log = config.resolveSibling("serve.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "serve", config.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServeJvm(p, log, port);
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** Waits (up to 60 s) for a log line containing {@code text}; returns that line. */
  String awaitLine(String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      var line = log().lines().filter(l -> l.contains(text)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      assertTrue(process.isAlive(), "gotrace serve ended, without '" + text + "': " + log());
      Thread.sleep(20);
    }
    throw new AssertionError("no log line with '" + text + "': " + log());
  }

  /** Sends SIGHUP (Java has no API for it: kill(1)). */
  void hangup() throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
    assertTrue(k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -HUP");
  }

  /** The text of /metrics now. */
  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() == 200, "/metrics: HTTP " + r.statusCode());
    return r.body();
  }

  /** The value of {@code gotrace_calls_total} for one function of one process, when /metrics has it. */
  static OptionalDouble calls(String metrics, String binary, long pid, String function) {
    String labels = "binary=\"" + binary + "\"";
    return metrics.lines().filter(l -> l.startsWith("gotrace_calls_total{") && l.contains(labels)
            && l.contains("pid=\"" + pid + "\"") && l.contains("function=\"" + function + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
  }

  /** Waits (up to 30 s) until /metrics counts {@code n} calls of {@code function} in that process. */
  void awaitCalls(String binary, long pid, String function, long n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String m = "";
    while (System.nanoTime() < deadline) {
      m = metrics();
      if (calls(m, binary, pid, function).orElse(-1) == n) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no gotrace_calls_total " + n + " for " + binary + " pid " + pid + ": " + m);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
