package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-event line buffer prints what the printf formats it replaced printed. */
class TextLineTest {
  /** The String.format rendering of a duration that TextLine replaced. */
  static String formatted(double ns) {
    if (ns < 1000) {
      return String.format(Locale.ROOT, "%.0fns", ns);
    }
    String[] units = {"us", "ms", "s"};
    double v = ns;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    String num = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    return num + units[u];
  }

  @Test
  void wholeNanosecondsAsPrintfPrintedThem() {
    TextLine line = new TextLine(ZoneId.of("UTC"));
    SplittableRandom r = new SplittableRandom(16);
    for (int i = 0; i < 200_000; i++) {
      // every magnitude, and the half-way values where rounding differs first (…5, …50, …500)
      long ns = switch (i % 4) {
        case 0 -> r.nextLong(1, 1L << (1 + r.nextInt(50)));
        case 1 -> (r.nextLong(1, 2_000_000) * 10 + 5) * (long) Math.pow(10, r.nextInt(7));
        case 2 -> r.nextLong(1, 1000) * (long) Math.pow(10, r.nextInt(13)) - r.nextInt(2);
        default -> 1L << r.nextInt(63);
      };
      assertEquals(formatted(ns), line.clear().duration(ns).toString(), "ns " + ns);
      assertEquals(formatted(ns), HistogramRenderer.duration(ns), "ns " + ns);
    }
  }

  @Test
  void fractionalNanosecondsAsPrintfPrintedThem() {
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < 100_000; i++) {
      double ns = r.nextDouble() * Math.pow(10, r.nextInt(13));
      assertEquals(formatted(ns), HistogramRenderer.duration(ns), "ns " + ns);
    }
    for (double ns : new double[] {0.5, 1.5, 2.5, 999.5, 1234.5, 9995, 99_950, 999_500, 1_005, 2_675}) {
      assertEquals(formatted(ns), HistogramRenderer.duration(ns), "ns " + ns);
    }
  }

  @Test
  void timeAndFieldsAsPrintfPrintedThem() {
    ZoneId zone = ZoneId.of("Europe/Berlin");
    DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);
    TextLine line = new TextLine(zone);
    // across the end of summer time in Berlin (2026-10-25 01:00 UTC) and a second boundary
    long t0 = Instant.parse("2026-10-25T00:59:59.999998Z").toEpochMilli() * 1_000_000L + 999;
    for (long t = t0; t < t0 + 5_000_000; t += 1_234) {
      String expected = f.format(Instant.ofEpochSecond(0, t).atZone(zone));
      assertEquals(expected, line.clear().time(t).toString());
    }
    StringWriter s = new StringWriter();
    PrintWriter out = new PrintWriter(s);
    line.clear().left("main.f", 10).append('|').right(42, 7).append('|').right("ab", 4).append('|')
        .left("longer than ten", 10).append('|').println(out);
    out.flush();
    assertEquals(String.format("%-10s|%7d|%4s|%-10s|%n", "main.f", 42, "ab", "longer than ten"), s.toString());
  }
}
