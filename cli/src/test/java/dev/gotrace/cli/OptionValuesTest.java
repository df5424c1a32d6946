package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * TIME, --count and --max-inflight values are checked before anything is read or attached (no
 * root needed): a usage error (exit 2), one line naming the option, a hint with an example.
 */
class OptionValuesTest {
  private static final String BIN = TestBinaries.demoServer().toString();

  private static String[] firstTwoLines(CliRun r) {
    String[] lines = r.err().split("\n");
    assertTrue(lines.length >= 2, r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals("", r.out());
    return lines;
  }

  private static String[] refused(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    String[] lines = firstTwoLines(r);
    assertTrue(lines[1].startsWith("hint: "), r.err());
    return lines;
  }

  @Test
  void aHugeDurationIsRefusedBeforeAttaching() {
    String[] l = refused("funcs", BIN, "main.handler", "--duration", "99999999999h");
    assertEquals("gotrace: --duration '99999999999h' is too long: at most 1000000h", l[0]);
  }

  @Test
  void aBareNumberHasNoUnit() {
    String[] l = refused("funcs", BIN, "main.handler", "--duration", "10");
    assertEquals("gotrace: --duration '10' has no unit", l[0]);
    assertTrue(l[1].startsWith("hint: write e.g. --duration 10s ("), l[1]);
    l = refused("latency", BIN, "main.handler", "--interval", "2");
    assertEquals("gotrace: --interval '2' has no unit", l[0]);
    l = refused("latency", BIN, "main.handler", "--min", "1.5");
    assertEquals("gotrace: --min '1.5' has no unit", l[0]);
  }

  @Test
  void zeroIsRefusedWhereItMeansNothing() {
    assertEquals("gotrace: --duration must be longer than zero", refused("funcs", BIN, "main.handler", "--duration", "0s")[0]);
    assertEquals("gotrace: --interval must be longer than zero", refused("top", BIN, "main.handler", "--interval", "0ms")[0]);
    assertEquals("gotrace: invalid --duration '-5s': not a time", refused("funcs", BIN, "main.handler", "--duration=-5s")[0]);
    assertEquals("gotrace: --duration '0.5ns' is finer than a nanosecond",
        refused("funcs", BIN, "main.handler", "--duration", "0.5ns")[0]);
  }

  @Test
  void fractionsAndEveryUnitAreRead() {
    assertEquals(Duration.ofMillis(1500), TimeOption.parse("--duration", "1.5s", false));
    assertEquals(Duration.ofNanos(250_000), TimeOption.parse("--min", "250us", true));
    assertEquals(Duration.ofNanos(2_500), TimeOption.parse("--min", "2.5µs", true));
    assertEquals(Duration.ofNanos(7), TimeOption.parse("--min", "7ns", true));
    assertEquals(Duration.ofMillis(500), TimeOption.parse("--interval", "500ms", false));
    assertEquals(Duration.ofSeconds(90), TimeOption.parse("--duration", "1.5m", false));
    assertEquals(Duration.ofMinutes(90), TimeOption.parse("--duration", "1.5h", false));
    assertEquals(Duration.ZERO, TimeOption.parse("--min", "0s", true));
    assertEquals(TimeOption.MAX, TimeOption.parse("--duration", "1000000h", false));
    assertThrows(UserException.class, () -> TimeOption.parse("--duration", "1000000.001h", false));
  }

  @Test
  void countZeroAndNegativeAreRefused() {
    for (String n : new String[] {"0", "-1"}) {
      String[] l = refused("funcs", BIN, "main.handler", "--count", n);
      assertEquals("gotrace: --count must be at least 1, not " + n, l[0]);
    }
    assertEquals("gotrace: --count must be at least 1, not 0", refused("goroutines", BIN, "--count", "0")[0]);
  }

  @Test
  void maxInflightOutOfRangeIsAUsageErrorNamingTheRange() {
    for (String cmd : new String[] {"latency", "top"}) {
      String[] l = refused(cmd, BIN, "main.handler", "--max-inflight", "2147483647");
      assertEquals("gotrace: --max-inflight 2147483647 is out of range: 1 to 4194304", l[0]);
      l = refused(cmd, BIN, "main.handler", "--max-inflight", "0");
      assertEquals("gotrace: --max-inflight 0 is out of range: 1 to 4194304", l[0]);
    }
  }
}
