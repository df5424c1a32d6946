package dev.gotrace.core.trace;

/** What the decoder prints for a string of known content, for expectations. */
final class ValueQuote {
  private ValueQuote() {}

  static String expected(String s, int limit) {
    String cut = s.length() > limit ? s.substring(0, limit) : s;
    String q = "\"" + cut.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    return s.length() > limit ? q + "... (len " + s.length() + ")" : q;
  }
}
