package dev.gotrace.cli;

/** The process exit codes of gotrace, documented in the README. */
public enum ExitCode {
  OK(0, "success"),
  FAILURE(1, "tracing failed at run time (a kernel call, the target, an internal error)"),
  USAGE(2, "bad command line: unknown option, missing argument"),
  NOT_GO(3, "the file is not an ELF file, or not a Go program"),
  UNSUPPORTED(4, "a Go version or architecture gotrace does not support"),
  CORRUPT(5, "the binary is damaged or truncated"),
  NO_MATCH(6, "the pattern matched no function"),
  NO_PERMISSION(7, "missing privileges (root, or CAP_BPF + CAP_PERFMON)"),
  NO_TARGET(8, "the file, process or PID does not exist");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
