package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gotrace demo}: runs gotrace's commands on the server binary bundled in
 * {@code testdata/bin/server}, showing each command line before its output.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
      "Show gotrace on the bundled demo server.",
      "The server is testdata/bin/server of this checkout (or --binary).",
      "As root: starts the server, attaches 'gotrace funcs' to main.*, makes a few requests and shows the"
          + " live call stream. Otherwise: the static view (info, then list with probe sites)."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--binary", paramLabel = "FILE",
      description = "The binary to demonstrate on (default: testdata/bin/server of this checkout).")
  Path binary;

  @Option(names = "--static", description = "Show the static view even when running as root.")
  boolean staticOnly;

  /** Requests the live demo makes. */
  static final int REQUESTS = 3;
  /** Functions of main.* each request calls: handler, checkSite, its closure, ping, prepareAnswer. */
  static final int CALLS_PER_REQUEST = 5;

  @Override
  public Integer call() throws Exception {
    Path bin = binary != null ? binary : relativeToWorkingDirectory(bundledServer());
    PrintWriter out = spec.commandLine().getOut();
    if (!staticOnly && isRoot()) {
      Binaries.open(bin).close(); // the server must be a readable Go executable before it is started
      return live(bin, out);
    }
    out.println("gotrace demo: the static view of " + bin
        + " (the seed article's server; reading the file needs no root)");
    for (List<String> args : List.of(
        List.of("info", bin.toString()),
        List.of("list", bin.toString(), "main.*", "--sites"))) {
      out.println();
      out.println("$ gotrace " + String.join(" ", args.stream()
          .map(a -> a.contains("*") ? "'" + a + "'" : a).toList()));
      out.flush();
      CommandLine root = spec.commandLine().getParent();
      int code = root.execute(args.toArray(String[]::new));
      if (code != ExitCode.OK.code()) {
        return code;
      }
    }
    out.println();
    out.println("The live call stream ('gotrace funcs') needs root for bpf(2) and uprobes; run 'sudo ./gotrace demo'"
        + " to see it.");
    out.flush();
    return ExitCode.OK.code();
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
      return false;
    }
  }

  /** Starts the server, traces main.* in it while making {@link #REQUESTS} requests. */
  private int live(Path bin, PrintWriter out) throws IOException, InterruptedException {
    Process server = new ProcessBuilder(bin.toString(), "-port", "0").redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      if (first == null || !first.startsWith("listening on ")) {
        throw new UserException(ExitCode.FAILURE, "the demo server did not start: " + first,
            "run " + bin + " -port 0 by hand to see why");
      }
      String base = first.substring("listening on ".length()).trim();
      Thread drain = new Thread(() -> {
        try {
          while (lines.readLine() != null) {
            // the server's log is not part of the demo
          }
        } catch (IOException e) {
          // the server stopped
        }
      }, "demo-server-output");
      drain.setDaemon(true);
      drain.start();
      out.println("gotrace demo: started " + bin + " (pid " + server.pid() + ", " + base
          + "); tracing main.* while making " + REQUESTS + " requests");
      List<String> args = List.of(bin.toString(), "main.*", "-p", Long.toString(server.pid()),
          "--count", Integer.toString(REQUESTS * CALLS_PER_REQUEST), "--duration", "30s");
      out.println();
      out.println("$ gotrace funcs " + String.join(" ", args.stream()
          .map(a -> a.contains("*") ? "'" + a + "'" : a).toList()));
      out.flush();
      FuncsCommand funcs = new FuncsCommand();
      funcs.afterAttach = () -> {
        Thread t = new Thread(() -> request(base, out), "demo-requests");
        t.setDaemon(true);
        t.start();
      };
      CommandLine cl = new CommandLine(funcs);
      cl.setOut(out);
      cl.setErr(spec.commandLine().getErr());
      cl.setExecutionExceptionHandler(Errors::onExecutionError);
      cl.setParameterExceptionHandler(Errors::onParameterError);
      return cl.execute(args.toArray(String[]::new));
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static void request(String base, PrintWriter out) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String[] names = {"GopherConRussia2020", "Gopher", "gotrace"};
    for (int i = 0; i < REQUESTS; i++) {
      String url = base + "/?name=" + names[i % names.length] + "&year=" + (2021 + i);
      synchronized (out) {
        out.println("# curl '" + url + "'");
        out.flush();
      }
      try {
        client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding());
        Thread.sleep(200);
      } catch (IOException e) {
        synchronized (out) {
          out.println("# curl '" + url + "' failed: " + e.getMessage());
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Path relativeToWorkingDirectory(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    return p.startsWith(cwd) ? cwd.relativize(p) : p;
  }

  /** testdata/bin/server above the jar (cli/target/gotrace.jar) or above the working directory. */
  private static Path bundledServer() {
    try {
      Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code.toAbsolutePath(); p != null; p = p.getParent()) {
        Path candidate = p.resolve("testdata/bin/server");
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the working directory
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("testdata/bin/server");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new UserException(ExitCode.NO_TARGET, "cannot find the bundled demo binary testdata/bin/server",
        "run gotrace from its checkout, or give --binary FILE");
  }
}
