package dev.gotrace.core.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading {@code /proc/PID}. */
public final class Processes {
  private static final String DELETED = " (deleted)";

  private Processes() {}

  /** Whether process {@code pid} exists (and is not a zombie we can no longer read). */
  public static boolean alive(int pid) {
    return Files.isDirectory(Path.of("/proc", Integer.toString(pid)))
        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * The executable of {@code pid} as a path this process can open: {@code /proc/PID/root} joined
   * with the link target of {@code /proc/PID/exe} (so a containerised process's file is found in
   * its own mount namespace), or {@code /proc/PID/exe} itself when that path does not exist
   * (the file was deleted or replaced). Empty when the process is gone or unreadable.
   */
  public static Optional<Path> executable(int pid) {
    Path proc = Path.of("/proc", Integer.toString(pid));
    try {
      String target = Files.readSymbolicLink(proc.resolve("exe")).toString();
      if (!target.endsWith(DELETED)) {
        Path inRoot = Path.of(proc.resolve("root").toString() + target);
        if (Files.isRegularFile(inRoot)) {
          return Optional.of(inRoot);
        }
      }
      return Optional.of(proc.resolve("exe"));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The link target of {@code /proc/PID/exe}, for display. */
  public static Optional<String> exeName(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code p} without a {@code /proc/PID/root} prefix, for messages: the path as the process
   * sees it.
   */
  public static String display(Path p) {
    String s = p.toString();
    if (s.startsWith("/proc/")) {
      int root = s.indexOf("/root/");
      if (root > 0) {
        return s.substring(root + "/root".length());
      }
    }
    return s;
  }
}
