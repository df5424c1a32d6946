package dev.gotrace.cli;

import dev.gotrace.core.plan.Planner;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The tracing commands that take function patterns (funcs, args, latency, top): {@code [BINARY]
 * PATTERN...} and the limit on probes, {@code --max-sites}.
 */
abstract class PatternOptions extends TraceOptions {
  @Parameters(paramLabel = "[BINARY] PATTERN", arity = "0..*",
      description = "An optional Go executable (all processes running it, later ones too), then function"
          + " name patterns: exact names (main.(*T).M), globs (main.*), re:REGEX. funcs and args also take"
          + " source lines: FILE.go:N (any suffix of the path: main.go:52, pkg/file.go:52) or FUNC+N (N lines after"
          + " the func line), probed once per copy of the line's code.")
  List<String> positional = new ArrayList<>();

  @Option(names = "--max-sites", paramLabel = "N",
      description = "Refuse to attach more than N probes, counting every entry, exit and inlined-copy probe"
          + " (default: ${DEFAULT-VALUE}).")
  int maxSites = Planner.DEFAULT_MAX_SITES;

  @Override
  final List<String> positional() {
    return positional;
  }
}
