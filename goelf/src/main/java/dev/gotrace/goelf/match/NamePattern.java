package dev.gotrace.goelf.match;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern over full Go function names, as users write them on the command line. See the
 * package documentation for the syntax.
 */
public sealed interface NamePattern permits NamePattern.Exact, NamePattern.Glob, NamePattern.Regex {

  /** Whether {@code name} (a full Go name such as {@code main.(*T).M}) matches. */
  boolean matches(String name);

  /** The pattern as the user wrote it. */
  String text();

  /**
   * Parses a pattern: {@code re:REGEX} is a regular expression; text containing {@code *},
   * {@code ?} (other than the {@code (*} of a pointer receiver) or {@code [...]} is a glob;
   * anything else is an exact name.
   *
   * @throws IllegalArgumentException when a {@code re:} pattern is not a valid regular
   *     expression, or the pattern is empty
   */
  static NamePattern parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty function name pattern");
    }
    if (text.startsWith("re:")) {
      try {
        return new Regex(text, Pattern.compile(text.substring(3)));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid regular expression in '" + text + "': " + e.getDescription(), e);
      }
    }
    if (Globs.isGlob(text)) {
      return new Glob(text, Globs.toRegex(text));
    }
    return new Exact(text);
  }

  /**
   * An exact name. It also matches the instantiations of a generic function of that name
   * ({@code main.Map} matches {@code main.Map[...]} and {@code main.Map[go.shape.int]}), which
   * is how Go names their code.
   */
  record Exact(String text) implements NamePattern {
    @Override
    public boolean matches(String name) {
      return name.equals(text)
          || name.length() > text.length() + 1 && name.startsWith(text)
              && name.charAt(text.length()) == '[' && name.endsWith("]")
              && Globs.balancedBrackets(name, text.length());
    }
  }

  /** A glob, matched against the whole name. */
  record Glob(String text, Pattern regex) implements NamePattern {
    @Override
    public boolean matches(String name) {
      return regex.matcher(name).matches();
    }
  }

  /** A {@code re:} regular expression (java.util.regex), found anywhere in the name. */
  record Regex(String text, Pattern regex) implements NamePattern {
    @Override
    public boolean matches(String name) {
      return regex.matcher(name).find();
    }
  }
}
