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
 *
 * <p>The command's lifetime follows gotrace's: the shell is started through util-linux's
 * {@code setpriv --pdeathsig KILL}, which sets PR_SET_PDEATHSIG in the new process before it
 * execs the shell (Java cannot run code in a child between fork and exec), and the setting stays
 * through the shell's exec of the command. So when gotrace dies, even by SIGKILL, the kernel kills
 * the command. A gotrace that died before the prctl would go unnoticed; the shell therefore checks
 * that its parent is still gotrace ({@code $PPID}, read after the prctl) and exits otherwise. The
 * kernel sends the signal when the parent <em>thread</em> ends: {@link #start} must be called on a
 * thread that lives as long as the trace (gotrace's main thread). Processes gotrace did not launch
 * are never signalled.
 */
public final class Launcher {
  /** Arguments: gotrace's pid, the gate, the command. Exit 125 when gotrace is gone already. */
  private static final String GATE_SCRIPT =
      "p=$1; g=$2; shift 2; [ \"$PPID\" = \"$p\" ] || exit 125; read _ < \"$g\"; exec \"$@\"";
  /** Where Debian (util-linux is essential there) and other distributions install setpriv. */
  private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

  private Launcher() {}

  /** A started, gated command. */
  public static final class Launched implements AutoCloseable {
    private final Process process;
    private final Path executable;
    private final Path dir;
    private final Path fifo;
    private final boolean followsTracer;
    private boolean released;

    private Launched(Process process, Path executable, Path dir, Path fifo, boolean followsTracer) {
      this.process = process;
      this.executable = executable;
      this.dir = dir;
      this.fifo = fifo;
      this.followsTracer = followsTracer;
    }

    /** Whether the kernel kills the command when gotrace dies (false: no setpriv on this host). */
    public boolean followsTracer() {
      return followsTracer;
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
      Optional<Path> setpriv = SETPRIV.stream().filter(Files::isExecutable).findFirst();
      List<String> argv = new ArrayList<>();
      setpriv.ifPresent(s -> argv.addAll(List.of(s.toString(), "--pdeathsig", "KILL", "--")));
      argv.addAll(List.of("/bin/sh", "-c", GATE_SCRIPT, "sh", Long.toString(ProcessHandle.current().pid()),
          fifo.toString(), exe.toString()));
      argv.addAll(command.subList(1, command.size()));
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
      return new Launched(p, exe, dir, fifo, setpriv.isPresent());
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
