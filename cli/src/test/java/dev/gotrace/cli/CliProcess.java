package dev.gotrace.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs gotrace in a JVM of its own, for what an in-process run cannot have: another working
 * directory, or another user (the command is prefixed with {@code setpriv}).
 */
record CliProcess(int exitCode, String out, String err) {
  /** The first line of standard error. */
  String firstErrLine() {
    return err.lines().findFirst().orElse("");
  }

  /** gotrace {@code args} run in {@code cwd}, as this user. */
  static CliProcess in(Path cwd, String... args) throws IOException, InterruptedException {
    return run(cwd, List.of(), System.getProperty("java.class.path"), args);
  }

  /**
   * gotrace {@code args} run as {@code nobody} (setpriv drops every privilege; the test runs as
   * root). Its classpath is copied to a directory nobody can read, since the build's own (under
   * a root-only home) may not be.
   */
  static CliProcess asNobody(Path cwd, String... args) throws IOException, InterruptedException {
    Path copy = Files.createTempDirectory("gotrace-cp");
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      List<String> entries = new ArrayList<>();
      int i = 0;
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path src = Path.of(e);
        if (!Files.exists(src)) {
          continue;
        }
        Path dst = copy.resolve(i++ + "-" + src.getFileName());
        copyTree(src, dst);
        entries.add(dst.toString());
      }
      return run(cwd, List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all"),
          String.join(File.pathSeparator, entries), args);
    } finally {
      try (Stream<Path> all = Files.walk(copy)) {
        all.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void copyTree(Path src, Path dst) throws IOException {
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path to = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(p, to);
          Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
  }

  private static CliProcess run(Path cwd, List<String> prefix, String classpath, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classpath, Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("gotrace-out", ".txt");
    Path err = Files.createTempFile("gotrace-err", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectInput(ProcessBuilder.Redirect.from(
          new File("/dev/null"))).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("gotrace " + String.join(" ", args) + " did not end within 120 s");
      }
      return new CliProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
