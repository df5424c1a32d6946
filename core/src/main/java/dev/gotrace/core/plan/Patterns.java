package dev.gotrace.core.plan;

import dev.gotrace.core.failure.Failure;
import dev.gotrace.core.failure.FailureException;
import dev.gotrace.goelf.lines.LineTarget;
import dev.gotrace.goelf.match.NamePattern;
import java.util.ArrayList;
import java.util.List;

/** Function patterns as a user writes them (names, globs, re:REGEX, FILE.go:N, FUNC+N), parsed before any binary is read. */
public final class Patterns {
  private Patterns() {}

  /** {@code texts} parsed; a text that is no pattern is a {@link FailureException} of kind USAGE. */
  public static List<NamePattern> parse(List<String> texts) {
    List<NamePattern> out = new ArrayList<>();
    for (String p : texts) {
      try {
        LineTarget.parse(p); // a line target's number is checked before the binary is read
        out.add(NamePattern.parse(p));
      } catch (IllegalArgumentException e) {
        throw new FailureException(Failure.Kind.USAGE, e.getMessage(),
            "patterns are names (main.f), globs (main.*) or re:REGEX");
      }
    }
    return out;
  }
}
