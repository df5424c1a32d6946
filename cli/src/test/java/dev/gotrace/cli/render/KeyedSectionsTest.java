package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.query.KeyValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The --by sections of the latency table: labels as typed, the three orders, (other) last, typed JSON. */
class KeyedSectionsTest {
  static final long PREPARE = 0x4b1234;
  static final Log2Histogram FAST = Log2Histogram.of(1000, 1000, 1000);
  static final Log2Histogram SLOW = Log2Histogram.of(50_000);
  static final Log2Histogram MID = Log2Histogram.of(5000, 5000);

  static KeyedLatency key(long year, String name, boolean cut, Log2Histogram h) {
    return new KeyedLatency("main.prepareAnswer", PREPARE, List.of(new KeyValue.IntKey(year),
        new KeyValue.StringKey(name, cut ? 90 : name.length(), cut)), false, h);
  }

  static KeyedSections sections(KeyOrder order) {
    return new KeyedSections(List.of("year", "name"), order, Map.of(PREPARE, List.of(
        key(2020, "Go", false, SLOW),
        new KeyedLatency("main.prepareAnswer", PREPARE, List.of(), true, MID),
        key(2021, "GopherCo", true, FAST),
        key(2019, "Rust", false, MID))), 3);
  }

  static String text(KeyedSections k) {
    StringWriter s = new StringWriter();
    HistogramRenderer.text(new PrintWriter(s)).table(List.of(new FunctionLatency("main.prepareAnswer", PREPARE,
        Log2Histogram.of(1000, 1000, 1000, 50_000, 5000, 5000, 5000, 5000), 0, 0, 0)), 1, true, Map.of(), Map.of(), k);
    return s.toString().replace(System.lineSeparator(), "\n");
  }

  static List<String> labels(String text) {
    return text.lines().filter(l -> l.startsWith("main.prepareAnswer  ") && !l.startsWith("main.prepareAnswer  count"))
        .map(l -> l.substring("main.prepareAnswer  ".length(), l.indexOf("  count "))).toList();
  }

  @Test
  void aSectionPerKeyInEachOrderOtherLast() {
    String byCount = text(sections(KeyOrder.COUNT));
    assertEquals(List.of("year=2021  name=\"GopherCo…\" (cut, 90 bytes)", "year=2019  name=\"Rust\"",
        "year=2020  name=\"Go\"", "(other)"), labels(byCount), byCount);
    assertEquals(List.of("year=2020  name=\"Go\"", "year=2019  name=\"Rust\"",
        "year=2021  name=\"GopherCo…\" (cut, 90 bytes)", "(other)"), labels(text(sections(KeyOrder.P99))));
    assertEquals(List.of("year=2019  name=\"Rust\"", "year=2020  name=\"Go\"",
        "year=2021  name=\"GopherCo…\" (cut, 90 bytes)", "(other)"), labels(text(sections(KeyOrder.KEY))));
    assertTrue(byCount.contains("\nmain.prepareAnswer  count 8  mean "), "the function's total first: " + byCount);
    assertTrue(byCount.contains("\nmain.prepareAnswer  year=2021  name=\"GopherCo…\" (cut, 90 bytes)  count 3  mean 1.00us"
        + "  p50 ~1.00us  p90 ~1.00us  p99 ~1.00us  max 1.00us\n  [512ns, 1.02us) 3 |"), byCount);
    assertTrue(byCount.contains("\nmain.prepareAnswer  (other)  count 2  mean 5.00us  p50 ~5.00us  p90 ~5.00us"
        + "  p99 ~5.00us  max 5.00us\n  calls whose key found the table full (--max-keys 3): counted here, not per key\n"),
        byCount);
  }

  @Test
  void jsonKeysAreTyped() {
    StringWriter s = new StringWriter();
    HistogramRenderer.json(new PrintWriter(s)).table(List.of(new FunctionLatency("main.prepareAnswer", PREPARE,
        FAST, 0, 0, 0)), 1, true, Map.of(), Map.of(), sections(KeyOrder.KEY));
    String t = s.toString();
    assertTrue(t.contains("\"by\":[{\"key\":{\"year\":2019,\"name\":\"Rust\"},\"count\":2,\"sum_ns\":10000,"), t);
    assertTrue(t.contains("{\"key\":{\"year\":2021,\"name\":\"GopherCo\"},\"cut\":{\"name\":90},\"count\":3,"), t);
    assertTrue(t.contains("{\"other\":true,\"count\":2,"), t);
    assertTrue(t.endsWith("]}]}\n"), t);
  }

  @Test
  void withoutByTheTableIsToday() {
    StringWriter a = new StringWriter();
    StringWriter b = new StringWriter();
    List<FunctionLatency> f = List.of(new FunctionLatency("main.prepareAnswer", PREPARE, FAST, 0, 0, 0));
    HistogramRenderer.text(new PrintWriter(a)).table(f, 1, true);
    HistogramRenderer.text(new PrintWriter(b)).table(f, 1, true, Map.of(), Map.of(), KeyedSections.NONE);
    assertEquals(a.toString(), b.toString());
  }
}
