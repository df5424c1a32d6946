package dev.gotrace.cli.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The running processes, from one scan of {@code /proc} (no tracefs, no netlink: a scan every
 * {@code scan_interval} sees a process that lives at least that long). Kernel threads, processes
 * that exited during the scan and this JVM itself are left out.
 */
final class ProcessTable {
  private static final Path PROC = Path.of("/proc");

  private ProcessTable() {}

  /**
   * One process.
   *
   * @param comm its name, {@code /proc/PID/comm} (the first 15 bytes of the executable's name,
   *     unless the program renamed itself)
   * @param exeName the file name of {@code /proc/PID/exe}'s link target, without " (deleted)"
   * @param exeKey the device and inode of the running executable ({@code stat} of
   *     {@code /proc/PID/exe}, which the kernel resolves to the file even in another mount namespace)
   */
  record Proc(int pid, String comm, String exeName, Object exeKey) {}

  /**
   * One scan: the processes, and how many could not be read for lack of permission (reading
   * another user's {@code /proc/PID/exe} needs CAP_SYS_PTRACE).
   */
  record Scan(List<Proc> procs, int denied) {}

  static Scan scan() {
    long self = ProcessHandle.current().pid();
    List<Proc> out = new ArrayList<>();
    int denied = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (!isNumber(name) || Long.parseLong(name) == self) {
          continue;
        }
        Optional<Proc> p = read(Integer.parseInt(name));
        if (p.isPresent()) {
          out.add(p.get());
        } else if (denied(d)) {
          denied++;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
    }
    return new Scan(out, denied);
  }

  /** Whether {@code /proc/PID/exe} exists but may not be read (not a kernel thread, not gone). */
  private static boolean denied(Path dir) {
    try {
      Files.readSymbolicLink(dir.resolve("exe"));
      return false;
    } catch (AccessDeniedException e) {
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** Process {@code pid} now; empty when it is gone, a kernel thread, or its executable is unreadable. */
  static Optional<Proc> read(int pid) {
    Path dir = PROC.resolve(Integer.toString(pid));
    try {
      Path exe = dir.resolve("exe");
      String target = Files.readSymbolicLink(exe).toString();
      if (target.endsWith(" (deleted)")) {
        target = target.substring(0, target.length() - " (deleted)".length());
      }
      Object key = Files.readAttributes(exe, BasicFileAttributes.class).fileKey();
      String comm = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
      int slash = target.lastIndexOf('/');
      return Optional.of(new Proc(pid, comm, target.substring(slash + 1), key));
    } catch (IOException | SecurityException | IllegalArgumentException e) {
      return Optional.empty(); // exited meanwhile, a kernel thread (no exe), or not ours to read
    }
  }

  /** The device and inode of {@code file}, empty when it does not exist (yet). */
  static Optional<Object> fileKey(Path file) {
    try {
      return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
