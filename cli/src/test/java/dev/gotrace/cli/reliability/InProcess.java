package dev.gotrace.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** gotrace run in this JVM on a thread ({@link Main#run}); its writers can be read meanwhile. */
record InProcess(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
  static InProcess start(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));
    return new InProcess(exit, out, err);
  }

  /** Runs to the end and returns the exit code. */
  static InProcess run(String... args) throws Exception {
    InProcess p = start(args);
    p.exitCode();
    return p;
  }

  InProcess awaitAttached() throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!err.toString().contains("Ctrl-C to end") && !exit.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(err.toString().contains("Ctrl-C to end"), "not attached: " + err + out);
    return this;
  }

  int exitCode() throws Exception {
    return exit.get(90, TimeUnit.SECONDS);
  }
}
