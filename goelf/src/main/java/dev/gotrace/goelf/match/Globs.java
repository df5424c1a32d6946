package dev.gotrace.goelf.match;

import java.util.regex.Pattern;

/** Translation of name globs to regular expressions. */
final class Globs {
  /** One bracketed type-argument list, allowing one level of nested brackets ({@code []int}). */
  static final String TYPE_ARGS = "\\[(?:[^\\[\\]]|\\[[^\\[\\]]*\\])*\\]";

  private Globs() {}

  static boolean isGlob(String p) {
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '?' || c == '*' && !pointerReceiver(p, i) || p.startsWith("[...]", i)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the {@code *} at {@code i} is the pointer of a receiver, as in {@code (*T)}. */
  private static boolean pointerReceiver(String p, int i) {
    return i > 0 && p.charAt(i - 1) == '(';
  }

  static Pattern toRegex(String p) {
    StringBuilder re = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      String piece = null;
      if (c == '*' && !pointerReceiver(p, i)) {
        piece = ".*";
      } else if (c == '?') {
        piece = ".";
      } else if (p.startsWith("[...]", i)) {
        piece = TYPE_ARGS;
        i += 4;
      }
      if (piece == null) {
        lit.append(c);
        continue;
      }
      if (lit.length() > 0) {
        re.append(Pattern.quote(lit.toString()));
        lit.setLength(0);
      }
      re.append(piece);
    }
    if (lit.length() > 0) {
      re.append(Pattern.quote(lit.toString()));
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** Whether {@code name[from..]} is one balanced bracketed list ending the name. */
  static boolean balancedBrackets(String name, int from) {
    int depth = 0;
    for (int i = from; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return i == name.length() - 1;
      }
    }
    return false;
  }
}
