package dev.gotrace.core.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/** Reading {@code /proc/PID}. */
public final class Processes {
  private static final String DELETED = " (deleted)";

  /** What {@code /proc/PID/stat} says of a process. */
  public enum State {
    /** Running, sleeping, stopped: anything with an address space to trace. */
    LIVE,
    /** Exited, waiting for its parent to reap it (state Z, or X while it is being reaped). */
    EXITED,
    /** No such process. */
    GONE
  }

  private Processes() {}

  /**
   * The state of {@code pid} from the third field of {@code /proc/PID/stat} (after the
   * parenthesised command name, which may itself hold spaces and parentheses).
   */
  public static State state(int pid) {
    if (pid <= 0) {
      return State.GONE;
    }
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
    } catch (IOException | SecurityException e) {
      return State.GONE;
    }
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      return State.GONE;
    }
    char s = stat.charAt(close + 2);
    return s == 'Z' || s == 'X' || s == 'x' ? State.EXITED : State.LIVE;
  }

  /** Whether process {@code pid} exists and has not exited (a zombie has). */
  public static boolean alive(int pid) {
    return state(pid) == State.LIVE;
  }

  /** Why {@link #executable} found nothing. */
  public enum ExeProblem {
    /** {@code /proc/PID/exe} exists but this user may not read it. */
    DENIED,
    /** The process has none (a kernel thread) or is gone. */
    NONE
  }

  /** Why the executable of {@code pid} cannot be read; call after {@link #executable} came back empty. */
  public static ExeProblem exeProblem(int pid) {
    try {
      Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe"));
      return ExeProblem.NONE;
    } catch (AccessDeniedException | SecurityException e) {
      return ExeProblem.DENIED;
    } catch (IOException e) {
      return ExeProblem.NONE;
    }
  }

  /**
   * The executable of {@code pid} as a path this process can open, preferring the path the user
   * knows: the link target of {@code /proc/PID/exe} itself when, opened here, it is the same file
   * (same root and mount namespace); else {@code /proc/PID/root} joined with it (a containerised or
   * chrooted process's file, found in its own mount namespace); else {@code /proc/PID/exe} itself
   * (the file was deleted or replaced). Empty when the process is gone or unreadable.
   */
  public static Optional<Path> executable(int pid) {
    Path proc = Path.of("/proc", Integer.toString(pid));
    try {
      String target = Files.readSymbolicLink(proc.resolve("exe")).toString();
      if (!target.endsWith(DELETED)) {
        Object running = fileKey(proc.resolve("exe"));
        Path plain = Path.of(target);
        if (running != null && Files.isRegularFile(plain) && Objects.equals(running, fileKey(plain))) {
          return Optional.of(plain);
        }
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

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    } catch (IOException | SecurityException e) {
      return null;
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
   * The command line of {@code pid} (its arguments joined by spaces), at most {@code max}
   * characters, cut with "..." when longer; empty when unreadable or empty (kernel threads).
   */
  public static Optional<String> commandLine(int pid, int max) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
    String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').replaceAll("\\p{Cntrl}", "?").strip();
    if (line.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(line.length() <= max ? line : line.substring(0, Math.max(0, max - 3)) + "...");
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
