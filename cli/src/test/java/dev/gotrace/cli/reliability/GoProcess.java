package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Go test program run by the test: its whole standard output collected, stderr merged. */
final class GoProcess implements AutoCloseable {
  private static final Pattern NS_PER_CALL = Pattern.compile("ns/call ([0-9.]+)");

  private final Process process;
  private final StringBuilder output = new StringBuilder();
  private final Thread reader;

  private GoProcess(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (output) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  static GoProcess start(Path binary, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary.toString()));
    cmd.addAll(List.of(args));
    return new GoProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  /** Runs to the end (60 s at most) and returns the output. */
  static GoProcess run(Path binary, String... args) throws IOException, InterruptedException {
    GoProcess p = start(binary, args);
    p.waitFor();
    return p;
  }

  /** The workload's own timing of its loop ({@code -mode loop}). */
  static double nsPerCall(Path workload, int calls) throws IOException, InterruptedException {
    GoProcess p = run(workload, "-mode", "loop", "-n", Integer.toString(calls));
    Matcher m = NS_PER_CALL.matcher(p.output());
    assertTrue(m.find(), p.output());
    return Double.parseDouble(m.group(1));
  }

  /** Waits for a line starting with {@code prefix} (up to 30 s). */
  void awaitLine(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!output().lines().anyMatch(l -> l.startsWith(prefix)) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(output().lines().anyMatch(l -> l.startsWith(prefix)), "no '" + prefix + "' line: " + output());
  }

  /** Sends a line to standard input (releases {@code -wait}). */
  void release() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write('\n');
    in.flush();
  }

  int waitFor() throws InterruptedException {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the Go program did not end: " + output());
    reader.join(5000);
    return process.exitValue();
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
