package dev.gotrace.core.abi;

/**
 * Bytes {@code [offset, offset + size)} of a parameter's in-memory value, found at {@code where}
 * (the low {@code size} bytes of a register, or {@code size} bytes of stack memory).
 */
public record Piece(long offset, int size, ArgLocation where) {
  public Piece {
    if (offset < 0 || size <= 0) {
      throw new IllegalArgumentException("piece at " + offset + " of " + size + " bytes");
    }
  }
}
