package dev.gotrace.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/** Entry point of the {@code gotrace} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs gotrace with the given output writers and returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err).execute(args);
  }

  /** The configured picocli command tree, writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new GotraceCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(Errors::onParameterError);
    cl.setExecutionExceptionHandler(Errors::onExecutionError);
    cl.setUsageHelpAutoWidth(true);
    cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> String.format(ExitCode.helpFooter()));
    return cl;
  }
}
