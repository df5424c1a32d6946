package dev.gotrace.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gotrace demo}: runs gotrace's commands on the server binary bundled in
 * {@code testdata/bin/server}, showing each command line before its output.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Show gotrace on the bundled demo server (testdata/bin/server): info, then list with probe sites.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--binary", paramLabel = "FILE",
      description = "The binary to demonstrate on (default: testdata/bin/server of this checkout).")
  Path binary;

  @Override
  public Integer call() throws Exception {
    Path bin = binary != null ? binary : relativeToWorkingDirectory(bundledServer());
    PrintWriter out = spec.commandLine().getOut();
    out.println("gotrace demo: the static view of " + bin
        + " (the seed article's server; reading the file needs no root)");
    for (List<String> args : List.of(
        List.of("info", bin.toString()),
        List.of("list", bin.toString(), "main.*", "--sites"))) {
      out.println();
      out.println("$ gotrace " + String.join(" ", args.stream()
          .map(a -> a.contains("*") ? "'" + a + "'" : a).toList()));
      out.flush();
      CommandLine root = spec.commandLine().getParent();
      int code = root.execute(args.toArray(String[]::new));
      if (code != ExitCode.OK.code()) {
        return code;
      }
    }
    out.println();
    out.println("Live tracing of this server (funcs, args, latency, goroutines) is the next step of gotrace"
        + " and not available in this build.");
    out.flush();
    return ExitCode.OK.code();
  }

  private static Path relativeToWorkingDirectory(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    return p.startsWith(cwd) ? cwd.relativize(p) : p;
  }

  /** testdata/bin/server above the jar (cli/target/gotrace.jar) or above the working directory. */
  private static Path bundledServer() {
    try {
      Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code.toAbsolutePath(); p != null; p = p.getParent()) {
        Path candidate = p.resolve("testdata/bin/server");
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the working directory
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("testdata/bin/server");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new UserException(ExitCode.NO_TARGET, "cannot find the bundled demo binary testdata/bin/server",
        "run gotrace from its checkout, or give --binary FILE");
  }
}
