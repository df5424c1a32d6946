package dev.gotrace.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: {@code gotrace <subcommand>}. */
@Command(
    name = "gotrace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Trace Go programs on Linux with uprobes and eBPF, without restarting them.",
      ""
    },
    subcommands = {InfoCommand.class, ListCommand.class, FuncsCommand.class, ArgsCommand.class,
        LatencyCommand.class, GoroutinesCommand.class, TopCommand.class, ServeCommand.class, CompletionCommand.class, DemoCommand.class})
public final class GotraceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Print stack traces and internal details on errors.")
  void setDebug(boolean debug) {
    Errors.setDebug(debug);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
