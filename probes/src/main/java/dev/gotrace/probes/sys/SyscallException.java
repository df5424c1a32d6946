package dev.gotrace.probes.sys;

/**
 * A system call failed: names the call, its command and the symbolic errno, e.g.
 * {@code "bpf(BPF_MAP_CREATE) failed: EINVAL (map my-map: invalid name)"}.
 */
public class SyscallException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String syscall;
  private final String command;
  private final int errno;

  public SyscallException(String syscall, String command, int errno, String detail) {
    super(format(syscall, command, errno, detail));
    this.syscall = syscall;
    this.command = command;
    this.errno = errno;
  }

  private static String format(String syscall, String command, int errno, String detail) {
    StringBuilder sb = new StringBuilder(syscall);
    if (command != null && !command.isEmpty()) {
      sb.append('(').append(command).append(')');
    }
    sb.append(" failed: ").append(Errno.nameOf(errno));
    if (detail != null && !detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    return sb.toString();
  }

  /** The system call, e.g. {@code bpf}. */
  public String syscall() {
    return syscall;
  }

  /** The command, e.g. {@code BPF_PROG_LOAD}, or an empty string. */
  public String command() {
    return command == null ? "" : command;
  }

  /** The errno value. */
  public int errno() {
    return errno;
  }

  /** The symbolic errno, e.g. {@code EINVAL}. */
  public String errnoName() {
    return Errno.nameOf(errno);
  }

  /** Whether the errno is {@code e}. */
  public boolean is(Errno e) {
    return e.is(errno);
  }
}
