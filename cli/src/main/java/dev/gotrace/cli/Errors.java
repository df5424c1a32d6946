package dev.gotrace.cli;

import dev.gotrace.core.failure.Failure;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line, {@code gotrace: <what>}, an optional hint line, and a named
 * exit code. Stack traces only with {@code --debug}.
 */
final class Errors {
  private static volatile boolean debug;

  private Errors() {}

  static void setDebug(boolean on) {
    debug = on;
  }

  static boolean debug() {
    return debug;
  }

  static int onParameterError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String help = "see 'gotrace " + subcommandPath(cl) + "--help'";
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String word = u.getUnmatched().get(0);
      List<String> near = u.getSuggestions();
      String didYouMean = near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "? ";
      if (u.isUnknownOption()) {
        err.println("gotrace: unknown option '" + word + "' for " + ("gotrace " + subcommandPath(cl)).strip());
        err.println("hint: " + didYouMean + help);
      } else if (cl.getParent() == null && !cl.getSubcommands().isEmpty()) {
        err.println("gotrace: unknown command '" + word + "'");
        err.println("hint: " + didYouMean + "the commands are " + String.join(", ", cl.getSubcommands().keySet())
            + "; " + help);
      } else {
        err.println("gotrace: unexpected argument '" + word + "' for " + ("gotrace " + subcommandPath(cl)).strip());
        err.println("hint: " + help);
      }
    } else {
      err.println("gotrace: " + e.getMessage());
      err.println("hint: " + help);
    }
    err.flush();
    return ExitCode.USAGE.code();
  }

  static int onExecutionError(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    UserException u = toUserException(e);
    err.println("gotrace: " + u.getMessage());
    if (u.hint() != null) {
      err.println("hint: " + u.hint());
    }
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return u.exitCode().code();
  }

  /**
   * Maps any exception from a command to what the user is told: {@link Failure#of} says the words
   * (the same the Java API throws), and this is the one place they get an exit code.
   */
  static UserException toUserException(Throwable e) {
    if (e instanceof UserException u) {
      return u;
    }
    Failure f = Failure.of(e);
    return new UserException(ExitCode.of(f.kind()), f.message(), f.hint(), e);
  }

  /** Where the grammar of --where and --by is written down. */
  static final String GRAMMAR = Failure.GRAMMAR;

  private static String subcommandPath(CommandLine cl) {
    StringBuilder sb = new StringBuilder();
    for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
      sb.insert(0, c.getCommandName() + " ");
    }
    return sb.toString();
  }
}
