package dev.gotrace.probes.prog;

import dev.gotrace.probes.sys.SyscallException;

/**
 * The kernel refused a program. The message ends with the verifier's reason (the last lines of
 * its log before the statistics); {@link #log()} is the whole log.
 */
public final class VerifierException extends SyscallException {
  private static final long serialVersionUID = 1L;
  private final String log;

  VerifierException(String program, int errno, String log) {
    super("bpf", "BPF_PROG_LOAD", errno, "program " + program + " rejected by the verifier: "
        + reason(log));
    this.log = log;
  }

  /** The full verifier log. */
  public String log() {
    return log;
  }

  /** The lines that explain a rejection: the last three before "processed N insns", if any. */
  static String reason(String log) {
    String[] lines = log.strip().split("\n");
    int end = lines.length;
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("processed ")) {
        end = i;
        break;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, end - 3); i < end; i++) {
      if (!lines[i].isBlank()) {
        sb.append(sb.length() == 0 ? "" : " | ").append(lines[i].strip());
      }
    }
    return sb.length() == 0 ? "(empty log)" : sb.toString();
  }
}
