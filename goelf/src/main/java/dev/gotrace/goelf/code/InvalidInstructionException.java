package dev.gotrace.goelf.code;

/**
 * Bytes that do not decode to an instruction the decoder knows exactly: an undefined opcode, a
 * form that differs between vendors, a truncated instruction. Decoders raise this instead of
 * guessing a length, because a wrong length misplaces every later instruction boundary. It is
 * an answer about bytes, not a program error, so it carries no stack trace (a linear decode of a
 * large binary raises it for every function that is not all code).
 */
public final class InvalidInstructionException extends Exception {
  private final long address;
  private final String reason;

  public InvalidInstructionException(long address, String reason) {
    super("cannot decode instruction at 0x" + Long.toHexString(address) + ": " + reason, null, false, false);
    this.address = address;
    this.reason = reason;
  }

  public long address() {
    return address;
  }

  public String reason() {
    return reason;
  }
}
