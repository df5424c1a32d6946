package dev.gotrace.cli;

import dev.gotrace.core.failure.Failure;

/**
 * The process exit codes of gotrace. 130 and 143 are the JVM's own when a signal ends it (128 +
 * SIGINT, 128 + SIGTERM; the shutdown hook detaches and summarises first), 141 is 128 + SIGPIPE,
 * as a shell reports a command a closed pipe ended. The README's "Exit codes" table lists these, code for code
 * and word for word (ReadmeExitCodesTest checks it); {@link Errors} is the one place an exception
 * from below the CLI gets its code.
 */
public enum ExitCode {
  OK(0, "ok", "success"),
  FAILURE(1, "failure", "tracing failed at run time (a kernel call, the target, an internal error)"),
  USAGE(2, "usage", "bad command line: unknown option, missing argument, a target that matches several processes"),
  NOT_GO(3, "not a Go binary", "the file is not an ELF file, or not a Go program"),
  UNSUPPORTED(4, "unsupported Go", "a Go version or architecture gotrace does not support"),
  CORRUPT(5, "corrupt binary", "the binary is damaged or truncated"),
  NO_MATCH(6, "no match", "the pattern matched no function"),
  NO_PERMISSION(7, "no permission",
      "missing privileges (root, or CAP_BPF + CAP_PERFMON), or a binary or directory this user may not read"),
  NO_TARGET(8, "no such target", "the file, process or PID does not exist, or the process has exited"),
  NO_KERNEL_FEATURE(9, "missing kernel feature",
      "the kernel lacks a feature tracing needs (the message names it and the Linux version that has it)"),
  EXPRESSION(10, "bad expression",
      "a --where or --by expression does not parse, names no parameter or field, or mixes types (the message gives the column)"),
  INTERRUPTED(130, "interrupted (SIGINT)",
      "ended by Ctrl-C (SIGINT), after detaching and printing the summary"),
  OUTPUT_CLOSED(141, "output closed",
      "standard output was closed (its reader ended, as head -1 at the end of a pipe does) or cannot be written: probes detached"),
  TERMINATED(143, "terminated (SIGTERM)", "ended by SIGTERM, after detaching and printing the summary");

  private final int code;
  private final String brief;
  private final String meaning;

  ExitCode(int code, String brief, String meaning) {
    this.code = code;
    this.brief = brief;
    this.meaning = meaning;
  }

  /** The code of a failure's kind: each {@link Failure.Kind} has the code of the same name. */
  public static ExitCode of(Failure.Kind kind) {
    return valueOf(kind.name());
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** A few words for the footer of {@code gotrace --help}: "no match". */
  public String brief() {
    return brief;
  }

  /** The footer of {@code gotrace --help}: every code with its brief, wrapped at 80 columns. */
  public static String helpFooter() {
    StringBuilder out = new StringBuilder("%nExit codes:");
    int column = out.length() - 2;
    ExitCode[] all = values();
    for (int i = 0; i < all.length; i++) {
      String item = " " + all[i].code + " " + all[i].brief + (i == all.length - 1 ? "." : ",");
      if (column + item.length() > 80) {
        out.append("%n");
        column = 0;
        item = item.substring(1);
      }
      out.append(item);
      column += item.length();
    }
    return out.append("%n").toString();
  }

  /** The README's table: a header, then one row per code. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| code | meaning |\n|---|---|\n");
    for (ExitCode c : values()) {
      sb.append("| ").append(c.code).append(" | ").append(c.meaning).append(" |\n");
    }
    return sb.toString();
  }
}
