package dev.gotrace.core.query;

/** A typed scalar an expression compares: read from the probe, or a constant. */
public sealed interface TExpr {
  VType type();

  /** The value of a path of an integer, bool or float type. */
  record Load(Access access) implements TExpr {
    @Override
    public VType type() {
      return access.type();
    }
  }

  /** {@code len(s)} of a string or a slice: the header's second word. */
  record Len(Access access) implements TExpr {
    @Override
    public VType type() {
      return new VType.Int(8, true);
    }
  }

  /**
   * A constant of {@code type}: an integer as its 64-bit two's complement (sign- or
   * zero-extended by the type), a bool 0 or 1, a float its IEEE bits (float32 in the low 32).
   */
  record Const(long bits, VType type) implements TExpr {}
}
