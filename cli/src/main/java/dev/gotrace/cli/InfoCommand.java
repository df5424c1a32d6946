package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.cli.render.InfoRenderer;
import dev.gotrace.core.inspect.BinarySummary;
import dev.gotrace.goelf.GoBinary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gotrace info BINARY}: what the binary is, read from the file alone. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = {
      "Show a Go binary's version, ABI, build and function count.",
      "Reads the file alone: version, module, architecture, ABI, build mode, function count (no root needed)."
    })
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BINARY", description = "A Go executable.")
  Path binary;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (GoBinary bin = Binaries.open(binary)) {
      BinarySummary s = BinarySummary.of(bin);
      var out = spec.commandLine().getOut();
      if (json) {
        InfoRenderer.json(s, out);
      } else {
        InfoRenderer.text(s, out);
      }
      out.flush();
    }
    return ExitCode.OK.code();
  }
}
