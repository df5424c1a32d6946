package dev.gotrace.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of a TIME option ({@code --duration}, {@code --interval}, {@code --min}): a decimal
 * number, a fraction allowed ({@code 1.5s}), and always a unit: {@code ns}, {@code us} (or
 * {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}. Checked before anything is read or
 * attached: a bare number, a time finer than a nanosecond, one longer than {@link #MAX} and a
 * zero where the option needs a positive time are refused as usage errors.
 */
final class TimeOption {
  /** The longest TIME: a million hours (114 years), so a deadline in nanoseconds cannot overflow. */
  static final Duration MAX = Duration.ofHours(1_000_000);

  static final String UNITS = "units: ns, us, ms, s, m, h; a fraction like 1.5s is fine";

  private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ns|us|µs|ms|s|m|h)?");

  private TimeOption() {}

  /**
   * {@code text} as a Duration, or null when the option was not given.
   *
   * @param zeroAllowed whether 0 means something for this option ({@code --min 0s}: every call)
   */
  static Duration parse(String option, String text, boolean zeroAllowed) {
    if (text == null) {
      return null;
    }
    Matcher m = TIME.matcher(text.strip());
    if (!m.matches()) {
      throw usage("invalid " + option + " '" + text + "': not a time", option, "10s");
    }
    if (m.group(2) == null) {
      throw usage(option + " '" + text + "' has no unit", option, m.group(1) + "s");
    }
    BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2))));
    BigInteger whole;
    try {
      whole = nanos.toBigIntegerExact();
    } catch (ArithmeticException fraction) {
      throw usage(option + " '" + text + "' is finer than a nanosecond", option, "1.5us");
    }
    if (whole.compareTo(BigInteger.valueOf(MAX.toNanos())) > 0) {
      throw usage(option + " '" + text + "' is too long: at most " + MAX.toHours() + "h", option, "24h");
    }
    if (whole.signum() == 0 && !zeroAllowed) {
      throw usage(option + " must be longer than zero", option, "10s");
    }
    return Duration.ofNanos(whole.longValueExact());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L; // h
    };
  }

  private static UserException usage(String message, String option, String example) {
    return new UserException(ExitCode.USAGE, message, "write e.g. " + option + " " + example + " (" + UNITS + ")");
  }
}
