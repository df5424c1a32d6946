package dev.gotrace.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/** Entry point of the {@code gotrace} command. */
public final class Main {
  private Main() {}

  /**
   * Standard output is buffered (64 KiB) and flushed by the commands where a reader should see
   * it: a streaming command after each poll, not per event (a write(2) per event cost the reader
   * as much CPU as decoding and rendering it); whatever is left is flushed before exit. A run
   * ends when nobody reads it any more ({@link StandardOutput}).
   */
  public static void main(String[] args) {
    PrintWriter out = new StandardOutput();
    int code;
    try {
      code = run(args, out, new PrintWriter(System.err, true));
    } finally {
      out.flush();
    }
    if (code == ExitCode.OK.code() && out.checkError()) {
      code = ExitCode.OUTPUT_CLOSED.code(); // list or info into `| head`: not all of it reached anyone
    }
    System.exit(code);
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
