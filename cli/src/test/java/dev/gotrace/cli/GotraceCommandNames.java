package dev.gotrace.cli;

import java.util.List;

/** The subcommands a user can run, as the README documents them. */
final class GotraceCommandNames {
  static final List<String> ALL = List.of("info", "list", "funcs", "args", "latency", "goroutines", "top", "serve", "completion", "demo");

  private GotraceCommandNames() {}
}
