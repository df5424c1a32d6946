package dev.gotrace.probes.btf;

/** BTF data is malformed or lacks a type or member; the message says which and where. */
public final class BtfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BtfException(String message) {
    super(message);
  }
}
