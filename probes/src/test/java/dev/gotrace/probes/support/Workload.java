package dev.gotrace.probes.support;

import dev.gotrace.testdata.TestBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The matrix's Go test program {@code workload} (testdata/go/workload): {@code -mode loop -n N}
 * calls {@code main.hot} N times and prints {@code ns/call X}; {@code -mode sleep -n N} calls
 * {@code main.sleepFor} N times; at exit it prints {@code calls <func> <count>} lines; with
 * {@code -wait} it prints {@code ready <pid>} and waits for a line on stdin first.
 */
public final class Workload {
  private Workload() {}

  /** The go1.24 amd64 default build. */
  public static Path binary() {
    return Copy.PATH;
  }

  /**
   * A private copy of the matrix's go1.24 workload: uprobes attach to an inode, and probes
   * attached for every process (pid 0) would also count other programs running the shared
   * matrix binary at the same time (another test run, a benchmark).
   */
  private static final class Copy {
    static final Path PATH = copy();

    private static Path copy() {
      try {
        Path dir = java.nio.file.Files.createTempDirectory("gotrace-probes-");
        Path out = dir.resolve("workload");
        java.nio.file.Files.copy(TestBinaries.get("go1.24", "amd64", "default", "workload").path(), out,
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        out.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return out;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** What one run printed. */
  public record Result(int exitCode, List<String> lines, Map<String, Long> calls, double nsPerCall) {}

  /** Runs the workload to completion (up to 120 s). */
  public static Result run(String... args) {
    return start(false, args).finish();
  }

  /** Starts the workload; with {@code waitFirst} it blocks before working until {@link Running#go()}. */
  public static Running start(boolean waitFirst, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    if (waitFirst) {
      cmd.add("-wait");
    }
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return new Running(p, waitFirst);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd + ": " + e.getMessage(), e);
    }
  }

  /** A started workload process. */
  public static final class Running {
    private final Process process;
    private final BufferedReader out;
    private final List<String> lines = new ArrayList<>();
    private final int pid;
    private Result result;

    Running(Process process, boolean waitFirst) throws IOException {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      if (waitFirst) {
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
          process.destroyForcibly();
          throw new IllegalStateException("workload did not print 'ready <pid>': " + ready);
        }
        pid = Integer.parseInt(ready.substring(6).trim());
      } else {
        pid = (int) process.pid();
      }
    }

    public int pid() {
      return pid;
    }

    /** Lets a {@code -wait} workload start working. */
    public void go() {
      try {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Waits for exit and parses the output; closes the pipes. */
    public synchronized Result finish() {
      if (result != null) {
        return result;
      }
      try {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("workload did not finish in 120 s");
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        closeStreams();
      }
      Map<String, Long> calls = new LinkedHashMap<>();
      double ns = Double.NaN;
      for (String l : lines) {
        String[] f = l.trim().split("\\s+");
        if (f.length == 3 && f[0].equals("calls")) {
          calls.put(f[1], Long.parseLong(f[2]));
        } else if (f.length == 2 && f[0].equals("ns/call")) {
          ns = Double.parseDouble(f[1]);
        }
      }
      result = new Result(process.exitValue(), List.copyOf(lines), calls, ns);
      return result;
    }

    private void closeStreams() {
      try {
        process.getOutputStream().close();
        out.close();
        process.getErrorStream().close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
