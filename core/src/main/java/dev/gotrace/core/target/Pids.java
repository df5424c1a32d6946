package dev.gotrace.core.target;

import dev.gotrace.core.failure.Failure;
import dev.gotrace.core.failure.FailureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Running processes named by pid as a tracing target: each must be alive and readable, and all
 * must run the same binary (uprobes attach to one file).
 */
public final class Pids {
  private Pids() {}

  /**
   * The processes and the binary they run.
   *
   * @param binary the executable, as {@code /proc/PID/exe} reaches it
   * @param display the executable's path as the user knows it
   * @param pids the distinct pids, in the order given
   */
  public record Resolved(Path binary, String display, List<Integer> pids) {}

  /**
   * Checks {@code pids} (at least one) and finds their binary; a pid that is gone, a zombie, a
   * kernel thread or unreadable, or pids that run different binaries, are a {@link FailureException}.
   */
  public static Resolved resolve(List<Integer> pids) {
    if (pids.isEmpty()) {
      throw new IllegalArgumentException("no pid");
    }
    List<Integer> distinct = List.copyOf(new LinkedHashSet<>(pids));
    Path first = null;
    Object firstKey = null;
    for (int pid : distinct) {
      Path exe = executable(pid);
      Object key = fileKey(exe);
      if (first == null) {
        first = exe;
        firstKey = key;
      } else if (!Objects.equals(firstKey, key)) {
        throw new FailureException(Failure.Kind.USAGE, "pids " + distinct + " run different binaries",
            "trace one binary at a time: run gotrace once per binary");
      }
    }
    return new Resolved(first, Processes.display(first), distinct);
  }

  /** Refuses when the processes of {@code r} do not run {@code binary} (compared as files, not names). */
  public static void requireRuns(Resolved r, Path binary) {
    if (!Objects.equals(fileKey(binary), fileKey(r.binary()))) {
      throw new FailureException(Failure.Kind.USAGE, "pid " + r.pids().get(0) + " does not run " + binary
          + " but " + r.display(), "leave out the BINARY with -p, or give the one the process runs");
    }
  }

  private static Path executable(int pid) {
    switch (Processes.state(pid)) {
      case GONE -> throw new FailureException(Failure.Kind.NO_TARGET, "no process with pid " + pid,
          "see the running processes with ps");
      case EXITED -> throw new FailureException(Failure.Kind.NO_TARGET, "pid " + pid
          + " has exited (a zombie: its parent has not reaped it yet)", "trace a process that is still running");
      case LIVE -> { }
    }
    Optional<Path> found = Processes.executable(pid);
    if (found.isPresent()) {
      return found.get();
    }
    if (Processes.exeProblem(pid) == Processes.ExeProblem.DENIED) {
      throw new FailureException(Failure.Kind.NO_PERMISSION, "cannot read the executable of pid " + pid
          + ": permission denied", "run as root, or as the process's user with CAP_SYS_PTRACE");
    }
    throw new FailureException(Failure.Kind.NO_TARGET, Processes.alive(pid) ? "pid " + pid
        + " has no executable (a kernel thread)" : "pid " + pid + " has exited", "trace a running Go program");
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return p.toString();
    }
  }
}
