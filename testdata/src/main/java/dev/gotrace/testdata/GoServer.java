package dev.gotrace.testdata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A test server program (the demo server or a matrix build), started on a free loopback port; stopped on close. */
public final class GoServer implements AutoCloseable {
  private final Process process;
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GoServer(Process process, String base) {
    this.process = process;
    this.base = base;
  }

  /** Starts {@code binary -port 0} and waits for its "listening on" line. */
  public static GoServer start(Path binary) throws IOException {
    Process p = new ProcessBuilder(binary.toString(), "-port", "0").redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        String l;
        while ((l = r.readLine()) != null) {
          if (l.startsWith("listening on ")) {
            return l.substring("listening on ".length()).trim();
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    String base;
    try {
      base = line.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException(binary + " did not print 'listening on' within 10 s", e);
    }
    if (base == null) {
      p.destroyForcibly();
      throw new IOException(binary + " exited before listening");
    }
    Thread drain = new Thread(() -> {
      try {
        while (r.readLine() != null) {
          // discard the server's log
        }
      } catch (IOException e) {
        // the server stopped
      }
    }, "server-output");
    drain.setDaemon(true);
    drain.start();
    return new GoServer(p, base);
  }

  public int pid() {
    return (int) process.pid();
  }

  /** "http://127.0.0.1:PORT", as the server printed it. */
  public String base() {
    return base;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Makes {@code n} requests one after another; returns how many answered 200. */
  public int requests(int n) throws IOException, InterruptedException {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> resp = client.send(HttpRequest.newBuilder(
              URI.create(base + "/?name=Gopher" + i + "&year=2021")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() == 200 && resp.body().startsWith("Hello, Gopher" + i)) {
        ok++;
      }
    }
    return ok;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
