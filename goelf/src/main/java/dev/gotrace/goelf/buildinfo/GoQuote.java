package dev.gotrace.goelf.buildinfo;

/**
 * Go's double-quoted string syntax (the escapes {@code strconv.Quote} produces: \a \b \f \n \r
 * \t \v \\ \" \xNN \\uNNNN \\UNNNNNNNN), enough to read quoted build settings.
 */
final class GoQuote {
  private GoQuote() {}

  /** Index just past the closing quote of the quoted string starting at {@code from}, or -1. */
  static int endOfQuoted(String s, int from) {
    for (int i = from + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    return -1;
  }

  /** The value of a Go double-quoted string, or null when it is malformed. */
  static String unquote(String q) {
    if (q.length() < 2 || q.charAt(0) != '"' || q.charAt(q.length() - 1) != '"') {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int end = q.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = q.charAt(i);
      if (c != '\\') {
        flush(bytes, sb);
        sb.append(c);
        continue;
      }
      if (++i >= end) {
        return null;
      }
      char e = q.charAt(i);
      int hexLen = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      if (hexLen > 0) {
        if (i + hexLen >= end) {
          return null;
        }
        int v;
        try {
          v = Integer.parseUnsignedInt(q.substring(i + 1, i + 1 + hexLen), 16);
        } catch (NumberFormatException ex) {
          return null;
        }
        i += hexLen;
        if (e == 'x') {
          bytes.write(v);
        } else {
          flush(bytes, sb);
          if (!Character.isValidCodePoint(v)) {
            return null;
          }
          sb.appendCodePoint(v);
        }
        continue;
      }
      flush(bytes, sb);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '"' -> sb.append('"');
        default -> {
          return null;
        }
      }
    }
    flush(bytes, sb);
    return sb.toString();
  }

  private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder sb) {
    if (bytes.size() > 0) {
      sb.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
      bytes.reset();
    }
  }
}
