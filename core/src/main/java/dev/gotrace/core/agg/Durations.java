package dev.gotrace.core.agg;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Durations as people read them, the one format every table, stack list and flame graph uses. */
public final class Durations {
  private Durations() {}

  /**
   * ns as 950ns, 1.5us, 20.3ms, 1.20s (three significant digits), rounded half up on the value's
   * shortest decimal form, as {@code %.Nf} does (without its format parsing).
   */
  public static String text(double ns) {
    if (!Double.isFinite(ns)) {
      return String.format(Locale.ROOT, "%.0fns", ns);
    }
    if (ns < 1000) {
      return fixed(ns, 0) + "ns";
    }
    String[] units = {"us", "ms", "s"};
    double v = ns;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return fixed(v, v >= 100 ? 0 : v >= 10 ? 1 : 2) + units[u];
  }

  /** {@code String.format("%.<decimals>f", v)} for a finite v, rounded half up. */
  public static String fixed(double v, int decimals) {
    return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
  }
}
