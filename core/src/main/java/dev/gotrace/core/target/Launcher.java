package dev.gotrace.core.target;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a command held at a gate: {@code /bin/sh} waits for a line on a named pipe, then
 * {@code exec}s the command in the same process, so the pid is known before the command runs
 * and no instruction of it runs before {@link Launched#release()}. The binary's uprobes, attached
 * to the file in between, are in place when its first instruction runs.
 */
public final class Launcher {
  private static final String GATE_SCRIPT = "g=$1; shift; read _ < \"$g\"; exec \"$@\"";

  private Launcher() {}

  /** A started, gated command. */
  public static final class Launched implements AutoCloseable {
    private final Process process;
    private final Path executable;
    private final Path dir;
    private final Path fifo;
    private boolean released;

    private Launched(Process process, Path executable, Path dir, Path fifo) {
      this.process = process;
      this.executable = executable;
      this.dir = dir;
      this.fifo = fifo;
    }

    public Process process() {
      return process;
    }

    /** The pid, which the command keeps after exec. */
    public int pid() {
      return (int) process.pid();
    }

    /** The executable the command will run. */
    public Path executable() {
      return executable;
    }

    /** Lets the command run. */
    public void release() {
      if (released) {
        return;
      }
      released = true;
      try (OutputStream gate = Files.newOutputStream(fifo)) {
        gate.write('\n');
      } catch (IOException e) {
        throw new TargetException(TargetException.Kind.FAILED,
            "cannot release the launched command: " + e.getMessage(), "check the temporary directory");
      } finally {
        deleteGate();
      }
    }

    private void deleteGate() {
      try {
        Files.deleteIfExists(fifo);
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // a stale empty directory in the temp dir is harmless
      }
    }

    /** Kills the command if it never ran or still runs, and removes the gate. */
    @Override
    public void close() {
      if (!released) {
        process.destroyForcibly();
        deleteGate();
      } else if (process.isAlive()) {
        process.destroy();
      }
    }
  }

  /** Resolves {@code command[0]} like a shell (through PATH when it has no slash). */
  public static Path resolve(String command) {
    if (command.contains("/")) {
      Path p = Path.of(command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
      throw new TargetException(TargetException.Kind.NOT_FOUND, "no such executable: " + command,
          "give the path of a Go program to run");
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new TargetException(TargetException.Kind.NOT_FOUND, command + ": command not found in PATH",
        "give the path of a Go program to run");
  }

  /**
   * Starts {@code command} held at the gate. Its standard input is inherited; standard output and
   * error are pipes the caller forwards.
   */
  public static Launched start(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    Path exe = resolve(command.get(0));
    Path dir = null;
    try {
      dir = Files.createTempDirectory("gotrace-gate");
      Path fifo = dir.resolve("gate");
      Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
          .redirectErrorStream(true).start();
      String mkOut = new String(mk.getInputStream().readAllBytes());
      if (mk.waitFor() != 0) {
        throw new IOException("mkfifo failed: " + mkOut.strip());
      }
      List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", GATE_SCRIPT, "sh", fifo.toString(),
          exe.toString()));
      argv.addAll(command.subList(1, command.size()));
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
      return new Launched(p, exe, dir, fifo);
    } catch (IOException e) {
      throw new TargetException(TargetException.Kind.FAILED, "cannot start " + command.get(0) + ": "
          + e.getMessage(), "check the command and the temporary directory", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetException(TargetException.Kind.FAILED, "interrupted while starting " + command.get(0),
          "try again");
    }
  }
}
