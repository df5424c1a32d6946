package dev.gotrace.cli;

import dev.gotrace.core.target.Binaries;
import dev.gotrace.cli.render.ListRenderer;
import dev.gotrace.core.inspect.Inspector;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gotrace list BINARY [PATTERN...]}: functions, source lines and probe sites. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {
      "List a Go binary's functions, with file:line and probe sites.",
      "Prints the functions matching the patterns (all when none), with file:line (no root needed).",
      "Patterns: exact names (main.(*T).M), globs (main.*, net/http.*), re:REGEX."
    })
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BINARY", description = "A Go executable.")
  Path binary;

  @Parameters(index = "1..*", paramLabel = "PATTERN", description = "Function name patterns.")
  List<String> patterns = new ArrayList<>();

  @Option(names = "--sites", description = "Show the probe entry (after the stack-check prologue) and every exit site.")
  boolean sites;

  @Option(names = "--json", description = "One JSON object per function per line (always with sites).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<NamePattern> parsed = new ArrayList<>();
    for (String p : patterns) {
      try {
        parsed.add(NamePattern.parse(p));
      } catch (IllegalArgumentException e) {
        throw new UserException(ExitCode.USAGE, e.getMessage(),
            "patterns are names (main.f), globs (main.*) or re:REGEX");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (GoBinary bin = Binaries.open(binary)) {
      Inspector inspector = new Inspector(bin);
      List<GoFunc> funcs = inspector.select(parsed);
      List<String> inlinedOnly = inspector.selectInlinedOnly(parsed);
      if (funcs.isEmpty() && inlinedOnly.isEmpty()) {
        throw new UserException(ExitCode.NO_MATCH,
            "no function of " + binary + " matches " + String.join(" ", patterns),
            "see the names with 'gotrace list " + binary + "'");
      }
      ListRenderer renderer = json ? ListRenderer.json(out) : ListRenderer.text(out, sites);
      try {
        inspector.describeAll(funcs, sites || json, renderer::function);
        for (String name : inlinedOnly) {
          renderer.function(inspector.describeInlinedOnly(name));
        }
        renderer.end(funcs.size() + inlinedOnly.size());
      } finally {
        renderer.flush(); // the functions listed before a failure still reach the output
      }
    }
    return ExitCode.OK.code();
  }
}
