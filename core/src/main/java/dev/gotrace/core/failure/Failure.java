package dev.gotrace.core.failure;

import dev.gotrace.core.expr.ExprException;
import dev.gotrace.core.plan.LaunchPlanException;
import dev.gotrace.core.plan.PlanException;
import dev.gotrace.core.query.QueryException;
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
import java.util.Objects;

/**
 * Why something failed, as the user is told: one line without the {@code gotrace: } prefix, what
 * to do about it, and its kind.
 *
 * @param kind what kind of failure (the CLI's exit code)
 * @param message what went wrong, one line
 * @param hint what to do about it; null when there is nothing to say
 */
public record Failure(Kind kind, String message, String hint) {
  /** The kinds of failure; the CLI exits with one code per kind (the README's "Exit codes"). */
  public enum Kind {
    /** Tracing failed at run time: a kernel call, the target, an internal error. */
    FAILURE,
    /** Bad input: an option, a pattern, a target that matches several processes. */
    USAGE,
    /** The file is not an ELF file, or not a Go program. */
    NOT_GO,
    /** A Go version or architecture gotrace does not support. */
    UNSUPPORTED,
    /** The binary is damaged or truncated. */
    CORRUPT,
    /** The pattern matched no function. */
    NO_MATCH,
    /** Missing privileges, or a file this user may not read. */
    NO_PERMISSION,
    /** The file, process or pid does not exist, or the process has exited. */
    NO_TARGET,
    /** The kernel lacks a feature tracing needs. */
    NO_KERNEL_FEATURE,
    /** A {@code --where} or {@code --by} expression is wrong (the message gives the column). */
    EXPRESSION
  }

  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** Where the grammar of --where and --by is written down. */
  public static final String GRAMMAR = "the grammar is in the README, 'Asking questions: --where and --by'";

  /** What the user is told about {@code e}, whatever threw it. */
  public static Failure of(Throwable e) {
    if (e instanceof FailureException f) {
      return f.failure();
    }
    if (e instanceof GoBinaryException g) {
      return ofBinary(g);
    }
    if (e instanceof ExprException x) {
      return expression(x.problem(), x.column(), x.text(), GRAMMAR);
    }
    if (e instanceof QueryException q) {
      return expression(q.problem(), q.column(), q.text(), q.hint().orElse(q.unparsed() ? GRAMMAR : null));
    }
    if (e instanceof PlanException p) {
      Kind kind = p instanceof PlanException.NoMatch || p instanceof PlanException.InlinedOnly
          || p instanceof PlanException.NoLine
          ? Kind.NO_MATCH
          : p instanceof PlanException.TooManySites || p instanceof PlanException.AmbiguousFile ? Kind.USAGE
          : Kind.UNSUPPORTED;
      return new Failure(kind, p.getMessage(), p.hint());
    }
    if (e instanceof LaunchPlanException l) {
      return new Failure(l.kind() == LaunchPlanException.Kind.NO_NEWPROC ? Kind.NOT_GO : Kind.UNSUPPORTED,
          l.getMessage(), l.hint());
    }
    if (e instanceof TargetException t) {
      Kind kind = switch (t.kind()) {
        case FAILED -> Kind.FAILURE;
        case AMBIGUOUS -> Kind.USAGE; // the user must say which process
        case NOT_FOUND -> Kind.NO_TARGET;
      };
      return new Failure(kind, t.getMessage(), t.hint());
    }
    if (e instanceof UnsupportedFeature f) {
      return new Failure(Kind.NO_KERNEL_FEATURE, f.getMessage(),
          "trace on a kernel that has it; see Requirements in the README (Linux >= 6.6 with BTF)");
    }
    if (e instanceof MissingPrivilegeException m) {
      return new Failure(Kind.NO_PERMISSION, m.getMessage(),
          "run as root, or grant CAP_BPF and CAP_PERFMON (see Requirements in the README)");
    }
    if (e instanceof VerifierException v) {
      return new Failure(Kind.FAILURE, "the kernel refused gotrace's eBPF program: " + lastLine(v),
          "run again with --debug for the verifier log, and report it");
    }
    if (e instanceof SyscallException s) {
      return new Failure(Kind.FAILURE, s.getMessage(),
          "the kernel refused a tracing call; see Requirements in the README (Linux >= 6.6, BTF)");
    }
    return new Failure(Kind.FAILURE, "internal error: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()), "run again with --debug for details, and report it");
  }

  /** A bad expression, on one line: {@code PROBLEM (column N of 'TEXT')}. */
  public static Failure expression(String problem, int column, String text, String hint) {
    return new Failure(Kind.EXPRESSION, problem + " (column " + column + " of '" + text + "')", hint);
  }

  /** A binary that cannot be traced: not ELF, not Go, an unsupported Go, or damaged. */
  public static Failure ofBinary(GoBinaryException g) {
    if (g instanceof NotElfException) {
      return new Failure(Kind.NOT_GO, g.describe(), "gotrace reads Linux ELF executables built by Go");
    }
    if (g instanceof NotGoException) {
      return new Failure(Kind.NOT_GO, g.describe(), "this ELF file has no Go function table; is it a Go program?");
    }
    if (g instanceof UnsupportedGoException) {
      return new Failure(Kind.UNSUPPORTED, g.describe(), "see 'Supported Go versions and architectures' in the README");
    }
    CorruptBinaryException c = (CorruptBinaryException) g;
    return new Failure(Kind.CORRUPT, c.describe(), "the file looks damaged or truncated; compare it with the original build");
  }

  private static String lastLine(VerifierException v) {
    String[] lines = v.getMessage().strip().split("\n");
    return lines[lines.length - 1];
  }
}
