package dev.gotrace.core.plan;

import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Function names close to a pattern that matched nothing, by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  record Scored(String name, int distance) {}

  /**
   * Up to {@code max} names closest to the literal text of {@code pattern} (wildcards removed);
   * for a glob the suggestion is the corrected pattern (the matched prefix plus the rest).
   */
  static List<String> closest(NamePattern pattern, List<GoFunc> functions, int max) {
    String text = pattern.text().startsWith("re:") ? pattern.text().substring(3) : pattern.text();
    int star = firstWildcard(text);
    String literal = star < 0 ? text : text.substring(0, star);
    if (literal.isEmpty()) {
      return List.of();
    }
    int limit = Math.max(2, literal.length() / 3);
    Set<String> seen = new LinkedHashSet<>();
    List<Scored> scored = new ArrayList<>();
    for (GoFunc f : functions) {
      String n = f.name();
      String candidate;
      int d;
      if (star < 0) {
        candidate = n;
        d = distance(literal, n, limit);
      } else {
        String prefix = n.substring(0, Math.min(n.length(), literal.length()));
        d = distance(literal, prefix, limit);
        candidate = prefix + text.substring(star);
      }
      if (d > 0 && d <= limit && seen.add(candidate)) {
        scored.add(new Scored(candidate, d));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    return scored.stream().limit(max).map(Scored::name).toList();
  }

  private static int firstWildcard(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c == '*' && !(i > 0 && s.charAt(i - 1) == '(')) || c == '?' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Levenshtein distance, or {@code limit + 1} when it is certainly larger than {@code limit}
   * (function names here; the CLI's guesses at a mistyped file name too).
   */
  public static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
