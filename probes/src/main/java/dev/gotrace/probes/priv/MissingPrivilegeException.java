package dev.gotrace.probes.priv;

/** This process lacks a capability; the message is one line naming it. */
public final class MissingPrivilegeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MissingPrivilegeException(String message) {
    super(message);
  }
}
