package dev.gotrace.testdata;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (Debian sid's, 3.x, fetched by testdata/build.sh into the cache) on a
 * loopback port, with a scrape configuration the test writes, and its HTTP API's instant queries.
 * Its TSDB lives in a fresh temporary directory, removed on close.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern SAMPLE = Pattern.compile("\"metric\":\\{([^}]*)\\},\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

  private final Process process;
  private final Path dir;
  private final int port;

  private PrometheusServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** The cached prometheus binary; skips (off CI) or fails (CI) when build.sh has not fetched it. */
  public static Path binary() {
    Path p = TestBinaries.cacheDir().resolve("peers/prometheus/usr/bin/prometheus");
    if (!Files.isExecutable(p)) {
      String hint = p + " does not exist; fetch it with: bash testdata/build.sh";
      if (TestBinaries.inCi()) {
        Assertions.fail(hint);
      }
      Assumptions.abort("skipped: " + hint);
    }
    return p;
  }

  /**
   * The Prometheus built with its OTLP receiver by testdata/prometheus-otlp.sh (Debian's has it
   * patched out); skips (off CI) or fails (CI) when that script has not built it.
   */
  public static Path otlpBinary() {
    Path p = TestBinaries.cacheDir().resolve("peers/prometheus-otlp/prometheus");
    if (!Files.isExecutable(p)) {
      String hint = p + " does not exist; build it with: bash testdata/prometheus-otlp.sh";
      if (TestBinaries.inCi()) {
        Assertions.fail(hint);
      }
      Assumptions.abort("skipped: " + hint);
    }
    return p;
  }

  /**
   * Starts Prometheus with {@code scrapeConfigs} (YAML list items under {@code scrape_configs:},
   * may be empty) and extra flags (e.g. {@code --web.enable-otlp-receiver}); returns once it is ready.
   */
  public static PrometheusServer start(String scrapeConfigs, String... flags) throws IOException, InterruptedException {
    return start(binary(), scrapeConfigs, flags);
  }

  /**
   * The Prometheus of {@link #otlpBinary} with {@code --web.enable-otlp-receiver}: it stores what is
   * pushed to {@link #otlpMetricsUrl}, and scrapes {@code scrapeConfigs} as {@link #start} does.
   */
  public static PrometheusServer startWithOtlp(String scrapeConfigs) throws IOException, InterruptedException {
    return start(otlpBinary(), scrapeConfigs, "--web.enable-otlp-receiver");
  }

  private static PrometheusServer start(Path bin, String scrapeConfigs, String... flags)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("gotrace-prometheus");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
        + (scrapeConfigs.isBlank() ? "  []\n" : scrapeConfigs));
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn"));
    cmd.addAll(List.of(flags));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer s = new PrometheusServer(p, dir, port);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        String log = Files.readString(dir.resolve("prometheus.log"));
        s.close();
        throw new IOException("prometheus exited with " + p.exitValue() + ": " + log);
      }
      try {
        if (s.get("/-/ready").statusCode() == 200) {
          return s;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    s.close();
    throw new IOException("prometheus did not get ready in 30 s");
  }

  /** A free loopback port (the tests bind gotrace's endpoints to one too). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String base() {
    return "http://127.0.0.1:" + port;
  }

  /** The OTLP/HTTP metrics endpoint (needs {@code --web.enable-otlp-receiver}). */
  public String otlpMetricsUrl() {
    return base() + "/api/v1/otlp/v1/metrics";
  }

  /** One sample of an instant query's vector result: its labels (as JSON text) and value. */
  public record Sample(String labels, double value) {
    /** The value of label {@code name}, "" when absent. */
    public String label(String name) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(labels);
      return m.find() ? m.group(1) : "";
    }
  }

  /** An instant query of {@code promql}: its vector's samples (empty when none). */
  public List<Sample> query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IOException("query " + promql + ": HTTP " + r.statusCode() + ": " + r.body());
    }
    List<Sample> out = new ArrayList<>();
    Matcher m = SAMPLE.matcher(r.body());
    while (m.find()) {
      out.add(new Sample("{" + m.group(1) + "}", Double.parseDouble(m.group(2))));
    }
    return out;
  }

  /** The value of a query with one sample, empty when it has none. */
  public OptionalDouble value(String promql) throws IOException, InterruptedException {
    List<Sample> s = query(promql);
    if (s.size() > 1) {
      throw new IllegalStateException(promql + " has " + s.size() + " samples: " + s);
    }
    return s.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(s.get(0).value());
  }

  /**
   * Queries {@code promql} until its one value satisfies {@code until} or {@code timeout} passes;
   * returns the last value seen (empty when there never was one).
   */
  public OptionalDouble await(String promql, DoublePredicate until, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    OptionalDouble v = OptionalDouble.empty();
    while (System.nanoTime() < deadline) {
      v = value(promql);
      if (v.isPresent() && until.test(v.getAsDouble())) {
        return v;
      }
      Thread.sleep(250);
    }
    return v;
  }

  /** Prometheus' own log so far (for a failing assertion's message). */
  public String log() throws IOException {
    return Files.readString(dir.resolve("prometheus.log"));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }
}
