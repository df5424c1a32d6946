package dev.gotrace.goelf.lines;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source line as the user names it: {@code FILE.go:N} (a path suffix of whole components) or
 * {@code FUNC+N} (N lines after the line of the function's {@code func} keyword, FUNC naming one
 * function). Any other text, and any {@code re:} pattern, is a function pattern.
 */
public sealed interface LineTarget {
  Pattern FILE_LINE = Pattern.compile("(.*\\.go):(\\d+)");
  Pattern FUNC_PLUS = Pattern.compile("(.+)\\+(\\d+)");
  /** Lines above this are not source lines (a bound before parsing the number). */
  int MAX_LINE = 1 << 24;

  /** The target as written, e.g. "main.go:52". */
  String text();

  /** {@code suffix:line}: every file whose path ends in {@code suffix} at a '/' (or is it). */
  record FileLine(String text, String suffix, int line) implements LineTarget {
    /** Whether {@code path} is named by the suffix. */
    public boolean names(String path) {
      return path.equals(suffix) || path.endsWith(suffix) && path.charAt(path.length() - suffix.length() - 1) == '/'
          || suffix.startsWith("./") && names(path, suffix.substring(2));
    }

    private static boolean names(String path, String s) {
      return path.equals(s) || path.endsWith("/" + s);
    }
  }

  /** {@code function+offset}. */
  record FuncLine(String text, String function, int offset) implements LineTarget {}

  /**
   * The line target {@code text} names, empty when it is a function pattern.
   *
   * @throws IllegalArgumentException for a line number that is 0 or too large
   */
  static Optional<LineTarget> parse(String text) {
    if (!isLine(text)) {
      return Optional.empty();
    }
    Matcher m = FILE_LINE.matcher(text);
    if (m.matches()) {
      return Optional.of(new FileLine(text, m.group(1), number(text, m.group(2), 1)));
    }
    m = FUNC_PLUS.matcher(text);
    if (m.matches()) {
      return Optional.of(new FuncLine(text, m.group(1), number(text, m.group(2), 0)));
    }
    return Optional.empty();
  }

  /**
   * Whether {@code text} is a line target (it may still be refused by {@link #parse}); a
   * {@code re:} regular expression never is.
   */
  static boolean isLine(String text) {
    return !text.startsWith("re:") && (FILE_LINE.matcher(text).matches() || FUNC_PLUS.matcher(text).matches());
  }

  private static int number(String text, String digits, int min) {
    if (digits.length() > 8 || Integer.parseInt(digits) > MAX_LINE || Integer.parseInt(digits) < min) {
      throw new IllegalArgumentException("line " + digits + " in '" + text + "' is out of range"
          + (min > 0 ? " (lines start at 1)" : ""));
    }
    return Integer.parseInt(digits);
  }
}
