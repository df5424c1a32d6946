package dev.gotrace.core.query;

/** One part of a decoded {@code --by} key. */
public sealed interface KeyValue {
  /** For tables: {@code 2021}, {@code "GopherCon"}, {@code true}, {@code "abc…" (cut, 90 bytes)}. */
  String text();

  /** For JSON, typed: a Long, Double, Boolean or String (an unsigned above 2^63-1 as its decimal text); null when unreadable. */
  Object jsonValue();

  record IntKey(long value) implements KeyValue {
    @Override
    public String text() {
      return Long.toString(value);
    }

    @Override
    public Object jsonValue() {
      return value;
    }
  }

  record UintKey(long value) implements KeyValue {
    @Override
    public String text() {
      return Long.toUnsignedString(value);
    }

    @Override
    public Object jsonValue() {
      return value >= 0 ? (Object) value : Long.toUnsignedString(value);
    }
  }

  record BoolKey(boolean value) implements KeyValue {
    @Override
    public String text() {
      return Boolean.toString(value);
    }

    @Override
    public Object jsonValue() {
      return value;
    }
  }

  record FloatKey(double value) implements KeyValue {
    @Override
    public String text() {
      if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
        return Long.toString((long) value);
      }
      return Double.toString(value);
    }

    @Override
    public Object jsonValue() {
      return Double.isFinite(value) ? (Object) value : text();
    }
  }

  /**
   * A string key: its first bytes as UTF-8 ({@code utf8}; a character cut in the middle is
   * dropped), its full length, and whether it was cut (longer than {@code --key-bytes}).
   */
  record StringKey(String utf8, long fullLength, boolean cut) implements KeyValue {
    @Override
    public String text() {
      String q = quote(utf8);
      return cut ? q.substring(0, q.length() - 1) + "…\" (cut, " + fullLength + " bytes)" : q;
    }

    @Override
    public Object jsonValue() {
      return utf8;
    }

    static String quote(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\t' -> b.append("\\t");
          case '\r' -> b.append("\\r");
          default -> {
            if (c < 0x20 || c == 0x7f) {
              b.append(String.format("\\x%02x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
    }
  }

  /** The part could not be read (a nil pointer on its path). */
  record Unreadable() implements KeyValue {
    @Override
    public String text() {
      return "(unreadable)";
    }

    @Override
    public Object jsonValue() {
      return null;
    }
  }
}
