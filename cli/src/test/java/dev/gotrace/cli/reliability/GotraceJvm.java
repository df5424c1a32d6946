package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** gotrace in a JVM of its own (the test classpath), its output in files, so it can be killed. */
final class GotraceJvm implements AutoCloseable {
  private final Process process;
  private final Path out;
  private final Path err;

  private GotraceJvm(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static GotraceJvm start(Path dir, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new GotraceJvm(p, out, err);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits (up to 60 s) until the probes are attached: the "Ctrl-C to end." line. */
  GotraceJvm awaitAttached() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!err().contains("Ctrl-C to end") && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(err().contains("Ctrl-C to end"), "not attached: " + err() + out());
    return this;
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  String out() throws IOException {
    return Files.readString(out);
  }

  String err() throws IOException {
    return Files.readString(err);
  }

  /** Waits up to 60 s for the exit and returns the exit code. */
  int waitFor() throws InterruptedException {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gotrace did not end");
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
