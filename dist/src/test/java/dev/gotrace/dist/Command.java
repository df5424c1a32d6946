package dev.gotrace.dist;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/** A command the dist tests run to its end: its exit status, stdout and stderr (stdin empty). */
final class Command {
  private Command() {}

  record Result(int status, String out, String err) {
    /** For assertion messages. */
    String both() {
      return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  static Result run(List<String> argv, long timeoutSeconds) throws IOException, InterruptedException {
    return run(null, Map.of(), argv, timeoutSeconds);
  }

  /** Runs {@code argv} in {@code dir} (null: this JVM's) with {@code env} added; fails the test on a timeout. */
  static Result run(Path dir, Map<String, String> env, List<String> argv, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("dist-out", ".txt");
    Path err = Files.createTempFile("dist-err", ".txt");
    long start = System.nanoTime();
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        Assertions.fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", argv));
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (ms > 2000) { // where a cold or slow run spends its time, in the test's output
        System.err.printf("dist: %.1f s: %s%n", ms / 1000.0,
            String.join(" ", argv.subList(Math.max(0, argv.size() - 4), argv.size())));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
