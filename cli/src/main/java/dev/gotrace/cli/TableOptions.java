package dev.gotrace.cli;

import dev.gotrace.cli.render.RowFilter;
import picocli.CommandLine.Option;

/** {@code --all} and {@code --top N}, shared by latency and top: which functions a table lists. */
final class TableOptions {
  @Option(names = "--all", description = "List the functions without calls too (by default a table lists the"
      + " functions with calls, and one line counts the others).")
  boolean all;

  @Option(names = "--top", paramLabel = "N", description = "List only the first N functions: by most calls for"
      + " latency, by the sort column for top.")
  Integer top;

  /** The rows to show; refuses a --top below 1. */
  RowFilter filter() {
    if (top != null && top < 1) {
      throw new UserException(ExitCode.USAGE, "--top must be at least 1, not " + top, "e.g. --top 20");
    }
    return new RowFilter(all, top == null ? 0 : top);
  }
}
