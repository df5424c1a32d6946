package dev.gotrace.core.query;

/** The type of a value an expression reads, as far as comparisons and keys care. */
public sealed interface VType {
  /** Bytes of the value in memory (a string's header, an interface's two words, a slice's three). */
  int size();

  /** An integer of 1, 2, 4 or 8 bytes. */
  record Int(int size, boolean signed) implements VType {}

  record Bool() implements VType {
    @Override
    public int size() {
      return 1;
    }
  }

  /** float32 (4) or float64 (8). */
  record Float(int size) implements VType {}

  /** A Go string header: data pointer then length. */
  record Str() implements VType {
    @Override
    public int size() {
      return 16;
    }
  }

  /** What may be compared with nil: the word that is nil is the value's first word. */
  enum NilKind { POINTER, MAP, CHAN, FUNC, UNSAFE_POINTER, INTERFACE, SLICE }

  record Nilable(NilKind kind) implements VType {
    @Override
    public int size() {
      return switch (kind) {
        case INTERFACE -> 16;
        case SLICE -> 24;
        default -> 8;
      };
    }
  }
}
