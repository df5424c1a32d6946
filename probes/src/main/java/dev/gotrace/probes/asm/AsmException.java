package dev.gotrace.probes.asm;

/** A program cannot be assembled: a missing or duplicate label, a jump out of range, a bad operand. */
public final class AsmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AsmException(String message) {
    super(message);
  }
}
