package dev.gotrace.cli;

import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.plan.LaunchPlanException;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.plan.PlanException;
import dev.gotrace.core.target.TargetException;
import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.NotElfException;
import dev.gotrace.goelf.NotGoException;
import dev.gotrace.goelf.UnsupportedGoException;
import dev.gotrace.probes.priv.MissingPrivilegeException;
import dev.gotrace.probes.priv.UnsupportedFeature;
import dev.gotrace.probes.prog.VerifierException;
import dev.gotrace.probes.sys.SyscallException;
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
   * Maps any exception from a command to what the user is told: the one place exceptions from
   * goelf, probes and core get an exit code.
   */
  static UserException toUserException(Throwable e) {
    if (e instanceof UserException u) {
      return u;
    }
    if (e instanceof GoBinaryException g) {
      return fromBinary(g);
    }
    if (e instanceof ExprException x) {
      return expression(x.problem(), x.column(), x.text(), GRAMMAR, x);
    }
    if (e instanceof QueryException q) {
      return expression(q.problem(), q.column(), q.text(), q.hint().orElse(q.unparsed() ? GRAMMAR : null), q);
    }
    if (e instanceof PlanException p) {
      ExitCode code = p instanceof PlanException.NoMatch || p instanceof PlanException.InlinedOnly
          || p instanceof PlanException.NoLine
          ? ExitCode.NO_MATCH
          : p instanceof PlanException.TooManySites || p instanceof PlanException.AmbiguousFile ? ExitCode.USAGE
          : ExitCode.UNSUPPORTED;
      return new UserException(code, p.getMessage(), p.hint(), p);
    }
    if (e instanceof LaunchPlanException l) {
      return new UserException(l.kind() == LaunchPlanException.Kind.NO_NEWPROC ? ExitCode.NOT_GO : ExitCode.UNSUPPORTED,
          l.getMessage(), l.hint(), l);
    }
    if (e instanceof TargetException t) {
      ExitCode code = switch (t.kind()) {
        case FAILED -> ExitCode.FAILURE;
        case AMBIGUOUS -> ExitCode.USAGE; // the command line must say which process
        case NOT_FOUND -> ExitCode.NO_TARGET;
      };
      return new UserException(code, t.getMessage(), t.hint(), t);
    }
    if (e instanceof UnsupportedFeature f) {
      return new UserException(ExitCode.NO_KERNEL_FEATURE, f.getMessage(),
          "trace on a kernel that has it; see Requirements in the README (Linux >= 6.6 with BTF)", f);
    }
    if (e instanceof MissingPrivilegeException m) {
      return new UserException(ExitCode.NO_PERMISSION, m.getMessage(),
          "run as root, or grant CAP_BPF and CAP_PERFMON (see Requirements in the README)", m);
    }
    if (e instanceof VerifierException v) {
      return new UserException(ExitCode.FAILURE, "the kernel refused gotrace's eBPF program: " + lastLines(v),
          "run again with --debug for the verifier log, and report it", v);
    }
    if (e instanceof SyscallException s) {
      return new UserException(ExitCode.FAILURE, s.getMessage(),
          "the kernel refused a tracing call; see Requirements in the README (Linux >= 6.6, BTF)", s);
    }
    return new UserException(ExitCode.FAILURE,
        "internal error: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
        "run again with --debug for details, and report it", e);
  }

  /** Where the grammar of --where and --by is written down. */
  static final String GRAMMAR = "the grammar is in the README, 'Asking questions: --where and --by'";

  /** A bad expression, on one line: {@code PROBLEM (column N of 'TEXT')}. */
  static UserException expression(String problem, int column, String text, String hint, Throwable cause) {
    return new UserException(ExitCode.EXPRESSION, problem + " (column " + column + " of '" + text + "')", hint, cause);
  }

  static UserException fromBinary(GoBinaryException g) {
    if (g instanceof NotElfException) {
      return new UserException(ExitCode.NOT_GO, g.describe(),
          "gotrace reads Linux ELF executables built by Go", g);
    }
    if (g instanceof NotGoException) {
      return new UserException(ExitCode.NOT_GO, g.describe(),
          "this ELF file has no Go function table; is it a Go program?", g);
    }
    if (g instanceof UnsupportedGoException) {
      return new UserException(ExitCode.UNSUPPORTED, g.describe(),
          "see 'Supported Go versions and architectures' in the README", g);
    }
    CorruptBinaryException c = (CorruptBinaryException) g;
    return new UserException(ExitCode.CORRUPT, c.describe(),
        "the file looks damaged or truncated; compare it with the original build", g);
  }

  private static String lastLines(VerifierException v) {
    String[] lines = v.getMessage().strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String subcommandPath(CommandLine cl) {
    StringBuilder sb = new StringBuilder();
    for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
      sb.insert(0, c.getCommandName() + " ");
    }
    return sb.toString();
  }
}
