package dev.gotrace.cli;

import dev.gotrace.core.profile.Folded;
import dev.gotrace.core.profile.FlameGraph;
import dev.gotrace.core.profile.Pprof;
import dev.gotrace.core.profile.StackProfile;
import dev.gotrace.core.profile.Weight;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code latency --stacks} and its files: calls counted in the kernel per (function, stack at the
 * entry), shown per function at the end and written as folded stacks, an SVG flame graph and a
 * pprof profile. Any of the files implies {@code --stacks}.
 */
final class StackOptions {
  @Option(names = "--stacks", description = "Count the calls per call stack too, in the kernel: the stack is"
      + " unwound by frame pointers at each entry (--stack=N: N frames at most); at the end, each function's stacks"
      + " with their count, p50 and p99. Not with --by.")
  boolean stacks;

  @Option(names = "--folded", paramLabel = "FILE", description = "With --stacks: write folded stacks to FILE at the"
      + " end (main.main;main.round;main.leaf 7: one line per stack, outermost first, its calls), as flame-graph"
      + " tools read them.")
  Path folded;

  @Option(names = "--flame", paramLabel = "FILE", description = "With --stacks: write an SVG flame graph to"
      + " FILE at the end, e.g. flame.svg (drawn by gotrace; hover a frame for its calls and time).")
  Path flame;

  @Option(names = "--flame-weight", paramLabel = "WEIGHT", description = "calls or time (the default): what the"
      + " flame graph's widths measure, the calls or the time spent in them; also the pprof profile's default"
      + " sample type.")
  String flameWeight;

  @Option(names = "--pprof", paramLabel = "FILE", description = "With --stacks: write a pprof profile to"
      + " FILE at the end, e.g. latency.pb.gz (gzip'd; sample types calls and time; go tool pprof -top FILE).")
  Path pprof;

  /** Whether calls are counted per stack: --stacks, or a file that needs them. */
  boolean enabled() {
    return stacks || folded != null || flame != null || pprof != null;
  }

  /** The flame graph's weight; a bad --flame-weight is a usage error. */
  Weight weight() {
    if (flameWeight == null) {
      return Weight.TIME;
    }
    return switch (flameWeight.toLowerCase(Locale.ROOT)) {
      case "time" -> Weight.TIME;
      case "calls" -> Weight.CALLS;
      default -> throw new UserException(ExitCode.USAGE, "--flame-weight " + flameWeight + " is neither calls nor time",
          "--flame-weight time (the default) or --flame-weight calls");
    };
  }

  /** Refuses what cannot work, before the binary is read. */
  void check(boolean by) {
    weight();
    if (enabled() && by) {
      throw new UserException(ExitCode.USAGE, "--stacks and --by cannot be combined: the kernel counts the calls"
          + " per stack or per key, not both", "drop --by, or trace with --by and --stacks in two runs");
    }
    writable("--folded", folded);
    writable("--flame", flame);
    writable("--pprof", pprof);
  }

  private static void writable(String option, Path file) {
    if (file == null) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(file)) {
      throw new UserException(ExitCode.USAGE, "cannot write " + option + " " + file + ": "
          + (Files.isDirectory(file) ? "it is a directory" : "no directory " + dir), "give a file in an existing directory");
    }
  }

  /** Writes the files asked for and says so on {@code err}. */
  void write(StackProfile profile, Pprof.Meta meta, String title, PrintWriter err) {
    String what = profile.samples().size() + " stack" + (profile.samples().size() == 1 ? "" : "s") + ", "
        + profile.calls() + " call" + (profile.calls() == 1 ? "" : "s");
    try {
      if (folded != null) {
        try (BufferedWriter w = Files.newBufferedWriter(folded, StandardCharsets.UTF_8)) {
          Folded.write(profile, w);
        }
        err.println("gotrace: wrote folded stacks (" + what + ") to " + folded);
      }
      if (flame != null) {
        try (BufferedWriter w = Files.newBufferedWriter(flame, StandardCharsets.UTF_8)) {
          FlameGraph.write(profile, weight(), title, w);
        }
        err.println("gotrace: wrote a flame graph (" + what + ", width by " + weight().name().toLowerCase(Locale.ROOT)
            + ") to " + flame);
      }
      if (pprof != null) {
        try (OutputStream o = Files.newOutputStream(pprof)) {
          Pprof.write(profile, meta, o);
        }
        err.println("gotrace: wrote a pprof profile (" + what + ") to " + pprof + "; go tool pprof -top " + pprof);
      }
    } catch (IOException e) {
      throw new UserException(ExitCode.FAILURE, "cannot write the stacks: " + e.getMessage(),
          "check the files' directory and free space");
    }
    err.flush();
  }
}
