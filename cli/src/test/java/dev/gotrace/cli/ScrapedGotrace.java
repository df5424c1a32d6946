package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * gotrace in a JVM of its own with {@code --prometheus 127.0.0.1:0}, and a real Prometheus
 * scraping it every second (one job per entry of {@code jobs}, each a scrape config's extra
 * lines). Closing sends gotrace SIGTERM, as a service manager would, then stops Prometheus.
 */
final class ScrapedGotrace implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("Serving metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics");

  private final Process gotrace;
  private final Path dir;
  private final int port;
  private PrometheusServer prometheus;

  private ScrapedGotrace(Process gotrace, Path dir, int port) {
    this.gotrace = gotrace;
    this.dir = dir;
    this.port = port;
  }

  /** Starts gotrace {@code args} and, once it has attached, Prometheus with the job {@code gotrace}. */
  static ScrapedGotrace start(String... args) throws IOException, InterruptedException {
    return start(List.of(""), List.of(), args);
  }

  /**
   * As {@link #start(String...)}, with one job {@code gotrace}, {@code gotrace2}... per entry of
   * {@code jobs} (extra scrape config lines, indented by four) and Prometheus {@code flags}.
   */
  static ScrapedGotrace start(List<String> jobs, List<String> flags, String... args)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("gotrace-scraped");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--prometheus", "127.0.0.1:0", "--duration", "300s"));
    Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).start();
    ScrapedGotrace s = new ScrapedGotrace(p, dir, 0);
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!s.err().contains("Ctrl-C to end") && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(s.err().contains("Ctrl-C to end"), "not attached: " + s.err());
      Matcher m = BANNER.matcher(s.err());
      assertTrue(m.find(), "no banner with the bound port: " + s.err());
      s = new ScrapedGotrace(p, dir, Integer.parseInt(m.group(1)));
      StringBuilder configs = new StringBuilder();
      for (int i = 0; i < jobs.size(); i++) {
        configs.append("  - job_name: gotrace").append(i == 0 ? "" : Integer.toString(i + 1)).append('\n')
            .append(jobs.get(i).isEmpty() ? "" : jobs.get(i) + "\n")
            .append("    static_configs:\n      - targets: ['127.0.0.1:").append(s.port).append("']\n");
      }
      s.prometheus = PrometheusServer.start(configs.toString(), flags.toArray(String[]::new));
      for (int i = 0; i < jobs.size(); i++) {
        String job = "gotrace" + (i == 0 ? "" : Integer.toString(i + 1));
        assertEquals(1.0, s.prometheus.await("up{job=\"" + job + "\"}", v -> v == 1, Duration.ofSeconds(30))
            .orElse(-1), job + " is scraped: " + s.prometheus.log());
      }
      return s;
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      s.close();
      throw e;
    }
  }

  PrometheusServer prometheus() {
    return prometheus;
  }

  /** The port gotrace bound (the banner's). */
  int port() {
    return port;
  }

  String err() throws IOException {
    return Files.readString(dir.resolve("err"));
  }

  /** SIGTERM, as a service manager stops it; returns the exit code. */
  int terminate() throws InterruptedException {
    gotrace.destroy();
    if (!gotrace.waitFor(30, TimeUnit.SECONDS)) {
      gotrace.destroyForcibly().waitFor();
    }
    return gotrace.exitValue();
  }

  @Override
  public void close() {
    try {
      if (gotrace.isAlive()) {
        terminate();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }
}
