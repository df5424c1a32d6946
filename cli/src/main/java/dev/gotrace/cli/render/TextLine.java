package dev.gotrace.cli.render;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line of aligned text, built in a reused buffer and written without a String per line: the
 * per-event renderers' replacement for {@code printf}, which parses its format and boxes every
 * number on each call. Field widths behave as {@code %-Ns} / {@code %Ns} / {@code %Nd} do (pad,
 * never cut). Not thread-safe: one per renderer.
 */
final class TextLine {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss.", Locale.ROOT);
  private static final String[] UNITS = {"us", "ms", "s"};
  private static final long[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
      1_000_000_000, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L};

  private final StringBuilder sb = new StringBuilder(256);
  private char[] chars = new char[256];
  private final ZoneId zone;
  private long second = Long.MIN_VALUE;
  private String secondText = "";

  TextLine(ZoneId zone) {
    this.zone = zone;
  }

  TextLine clear() {
    sb.setLength(0);
    return this;
  }

  TextLine append(String s) {
    sb.append(s);
    return this;
  }

  TextLine append(char c) {
    sb.append(c);
    return this;
  }

  TextLine append(long v) {
    sb.append(v);
    return this;
  }

  /** The last path element of {@code path} ({@link CallRenderer#shortFile}), without a substring. */
  TextLine fileName(String path) {
    sb.append(path, path.lastIndexOf('/') + 1, path.length());
    return this;
  }

  /** {@code s} then spaces up to {@code width} ({@code %-Ns}). */
  TextLine left(String s, int width) {
    sb.append(s);
    return spaces(width - s.length());
  }

  /** Spaces, then {@code s}, to {@code width} ({@code %Ns}). */
  TextLine right(String s, int width) {
    spaces(width - s.length());
    sb.append(s);
    return this;
  }

  /** Spaces, then {@code v}, to {@code width} ({@code %Nd}). */
  TextLine right(long v, int width) {
    int start = sb.length();
    sb.append(v);
    int pad = width - (sb.length() - start);
    for (int i = 0; i < pad; i++) {
      sb.insert(start, ' ');
    }
    return this;
  }

  /** What is appended from now on is padded with spaces on the left to {@code width}, by {@link #padFrom}. */
  int mark() {
    return sb.length();
  }

  /** Pads what was appended since {@code mark} on the left to {@code width} characters. */
  TextLine padFrom(int mark, int width) {
    int pad = width - (sb.length() - mark);
    for (int i = 0; i < pad; i++) {
      sb.insert(mark, ' ');
    }
    return this;
  }

  /** Pads what was appended since {@code mark} on the right to {@code width} characters. */
  TextLine padAfter(int mark, int width) {
    return spaces(width - (sb.length() - mark));
  }

  TextLine spaces(int n) {
    for (int i = 0; i < n; i++) {
      sb.append(' ');
    }
    return this;
  }

  /**
   * Wall-clock time {@code HH:mm:ss.SSSSSS} of {@code wallNs} (ns since the epoch) in the zone; the
   * zone's rules are applied once per second of events.
   */
  TextLine time(long wallNs) {
    long sec = Math.floorDiv(wallNs, 1_000_000_000L);
    if (sec != second) {
      second = sec;
      secondText = SECONDS.format(Instant.ofEpochSecond(sec).atZone(zone));
    }
    sb.append(secondText);
    return digits(Math.floorMod(wallNs, 1_000_000_000L) / 1000, 6);
  }

  /** {@code v} (non-negative) in exactly {@code n} digits, zeros first. */
  private TextLine digits(long v, int n) {
    for (int p = n - 1; p >= 0; p--) {
      sb.append((char) ('0' + (v / POW10[p]) % 10));
    }
    return this;
  }

  /**
   * {@link HistogramRenderer#duration} of a whole number of ns, without a String: the same text
   * (three significant digits, rounded half up on the exact decimal value).
   */
  TextLine duration(long ns) {
    if (ns < 0) {
      sb.append(HistogramRenderer.duration((double) ns));
      return this;
    }
    if (ns < 1000) {
      sb.append(ns).append("ns");
      return this;
    }
    // the unit: divide by 1000 while the value is >= 1000, up to seconds
    int u = 0;
    long div = 1000;
    while (u < UNITS.length - 1 && ns >= div * 1000) {
      div *= 1000;
      u++;
    }
    // value = ns / div, in [1, 1000) except seconds; decimals by magnitude: 2, 1 or 0
    int decimals = ns >= 100 * div ? 0 : ns >= 10 * div ? 1 : 2;
    long scale = POW10[decimals];
    long q = roundHalfUp(ns, div, scale);
    // rounding up may cross into the next magnitude (9.995 -> 10.00), as %.2f prints it
    sb.append(q / scale);
    if (decimals > 0) {
      sb.append('.');
      digits(q % scale, decimals);
    }
    sb.append(UNITS[u]);
    return this;
  }

  /** round_half_up(ns * scale / div) without overflow for any ns >= 0 and scale <= 100. */
  private static long roundHalfUp(long ns, long div, long scale) {
    long whole = ns / div;
    long rest = ns % div; // < div <= 1e9, so rest * scale * 2 fits
    long frac = rest * scale;
    long q = whole * scale + frac / div;
    long r = frac % div;
    return 2 * r >= div ? q + 1 : q;
  }

  /** Writes the line and a line separator, as {@code %n}. */
  void println(PrintWriter out) {
    sb.append(System.lineSeparator());
    int n = sb.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, 2 * chars.length)];
    }
    sb.getChars(0, n, chars, 0);
    out.write(chars, 0, n);
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
