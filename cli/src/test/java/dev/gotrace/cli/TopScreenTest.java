package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.cli.tui.TopColumn;
import dev.gotrace.cli.tui.TopLayout;
import dev.gotrace.cli.tui.TopScreen;
import dev.gotrace.cli.tui.TopTable;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.Log2Histogram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.junit.jupiter.api.Test;

/**
 * The live view of {@code gotrace top} drawn on a fixed-size virtual terminal: jline's
 * {@link LineDisciplineTerminal} (xterm-256color capabilities) writing into jline's own screen
 * emulation {@link ScreenTerminal}, whose text is compared with golden screens.
 */
class TopScreenTest {
  /** A fixed aggregation: two snapshots one second apart. */
  static TopTable table() {
    List<FunctionLatency> before = List.of(
        fn("main.handler", 10, 30_000_000, 1_000_000, 9_000_000, 0),
        fn("main.prepareAnswer", 10, 150_000, 12_000, 20_000, 0),
        fn("net/http.(*conn).serve", 2, 80_000_000, 30_000_000, 50_000_000, 0));
    List<FunctionLatency> now = List.of(
        fn("main.handler", 25, 75_000_000, 1_000_000, 9_000_000, 1),
        fn("main.prepareAnswer", 40, 600_000, 12_000, 20_000, 0),
        fn("net/http.(*conn).serve", 3, 120_000_000, 30_000_000, 50_000_000, 4),
        fn("main.envPort", 0, 0, 0, 0, 0));
    return TopTable.of("/srv/server (pid 4242)", "go1.24.4", 16, before, now, 1.0, 12.5);
  }

  private static FunctionLatency fn(String name, long count, long sum, long min, long max, long inFlight) {
    long[] buckets = new long[Log2Histogram.BUCKETS];
    if (count > 0) {
      buckets[Log2Histogram.bucket(min)] += count / 2;
      buckets[Log2Histogram.bucket(max)] += count - count / 2;
    }
    return new FunctionLatency(name, name.hashCode(), new Log2Histogram(buckets, count, sum, min, max), 1, 0, inFlight);
  }

  /** A virtual terminal of a fixed size and the screen it draws on. */
  static final class Virtual {
    final ScreenTerminal screen;
    final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    final LineDisciplineTerminal terminal;

    Virtual(int columns, int rows) throws IOException {
      screen = new ScreenTerminal(columns, rows);
      OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          raw.write(b, off, len);
          screen.write(new String(b, off, len, StandardCharsets.UTF_8));
        }
      };
      terminal = new LineDisciplineTerminal("virtual", "xterm-256color", sink, StandardCharsets.UTF_8);
      terminal.setSize(new Size(columns, rows));
    }

    void resize(int columns, int rows) {
      screen.setSize(columns, rows);
      terminal.setSize(new Size(columns, rows));
      terminal.raise(Terminal.Signal.WINCH);
    }

    void type(String keys) throws IOException {
      terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
    }

    /** The screen's text, trailing blanks of each line removed. */
    String text() {
      StringBuilder b = new StringBuilder();
      for (String line : screen.toString().split("\n", -1)) {
        b.append(line.stripTrailing()).append('\n');
      }
      return b.toString().replaceAll("\n+$", "\n");
    }
  }

  @Test
  void wideTerminalShowsEveryColumn() throws IOException {
    Virtual v = new Virtual(100, 12);
    try (TopScreen s = new TopScreen(v.terminal)) {
      s.show(table());
      Golden.assertMatches("top-wide.txt", v.text());
    }
  }

  @Test
  void narrowTerminalDropsColumnsShortensNamesAndRows() throws IOException {
    Virtual v = new Virtual(50, 8);
    try (TopScreen s = new TopScreen(v.terminal)) {
      s.show(table());
      Golden.assertMatches("top-narrow.txt", v.text());
    }
  }

  @Test
  void resizeRedrawsAtTheNewSize() throws IOException {
    Virtual v = new Virtual(100, 12);
    try (TopScreen s = new TopScreen(v.terminal)) {
      s.show(table());
      v.resize(50, 8);
      assertTrue(s.readKeys(10), "a SIGWINCH asks for a redraw");
      s.redraw();
      Golden.assertMatches("top-narrow.txt", v.text());
    }
  }

  @Test
  void keysSortReversePauseAndQuit() throws IOException {
    Virtual v = new Virtual(100, 12);
    try (TopScreen s = new TopScreen(v.terminal)) {
      s.show(table());
      v.type(">");
      assertTrue(s.readKeys(100));
      s.redraw();
      assertEquals(new TopLayout.State(TopColumn.MEAN, false, false), s.state());
      String[] lines = v.text().split("\n");
      assertTrue(lines[2].startsWith("sort MEAN "), lines[2]);
      assertTrue(lines[5].startsWith("net/http.(*conn).serve"), "largest mean first: " + lines[5]);
      v.type("r");
      assertTrue(s.readKeys(100));
      s.redraw();
      lines = v.text().split("\n");
      assertTrue(lines[2].startsWith("sort MEAN (reversed)"), lines[2]);
      assertTrue(lines[5].startsWith("main.envPort"), "smallest mean first: " + lines[5]);
      v.type("p");
      s.readKeys(100);
      s.show(TopTable.of("/srv/server (pid 4242)", "go1.24.4", 16, List.of(), List.of(), 1.0, 99.0));
      assertTrue(v.text().contains("PAUSED"), v.text());
      assertTrue(v.text().contains("main.handler"), "paused: the frozen rows stay\n" + v.text());
      assertFalse(s.quit());
      v.type("q");
      s.readKeys(100);
      assertTrue(s.quit());
    }
  }

  @Test
  void closeRestoresTheTerminal() throws IOException {
    Virtual v = new Virtual(80, 10);
    Attributes before = new Attributes(v.terminal.getAttributes());
    TopScreen s = new TopScreen(v.terminal);
    s.show(table());
    String during = v.raw.toString(StandardCharsets.UTF_8);
    assertTrue(during.contains("\033[?1049h"), "enters the alternate screen");
    assertTrue(during.contains("\033[?25l"), "hides the cursor");
    s.close();
    String after = v.raw.toString(StandardCharsets.UTF_8).substring(during.length());
    assertTrue(after.contains("\033[?25h"), "shows the cursor again");
    assertTrue(after.endsWith("\033[?1049l"), "leaves the alternate screen last: " + after.replace("\033", "ESC"));
    assertTrue(after.contains("\033[0m") || after.contains("\033[m"), "resets attributes");
    assertEquals(before.getLocalFlags(), v.terminal.getAttributes().getLocalFlags(), "echo and canonical mode back");
    assertEquals(before.getInputFlags(), v.terminal.getAttributes().getInputFlags());
  }

  @Test
  void plainTableHasEveryColumnAndFullNames() {
    List<String> lines = TopLayout.plain(table(), TopColumn.CALLS);
    assertEquals("gotrace top  /srv/server (pid 4242)", lines.get(0));
    assertEquals("go1.24.4  16 probes  events 68  drops 4  12.5 s", lines.get(1));
    assertTrue(lines.get(2).startsWith("FUNCTION                  CALLS/S"), lines.get(2));
    assertTrue(lines.get(3).startsWith("main.prepareAnswer           30.0         40"), lines.get(3));
  }

  /** --by year: a row per (function, key), the key in its own column, rates per key, in-flight unknown per key. */
  @Test
  void plainTableWithAKeyColumn() {
    long entry = "main.prepareAnswer".hashCode();
    dev.gotrace.cli.render.KeyedSections sections = new dev.gotrace.cli.render.KeyedSections(List.of("year"),
        dev.gotrace.cli.render.KeyOrder.COUNT, java.util.Map.of(), 2);
    java.util.function.BiFunction<Long, Long, dev.gotrace.core.agg.KeyedLatency> year = (y, n) ->
        new dev.gotrace.core.agg.KeyedLatency("main.prepareAnswer", entry, List.of(new dev.gotrace.core.query.KeyValue.IntKey(y)),
            false, Log2Histogram.of(java.util.stream.LongStream.range(0, n).map(i -> 12_000).toArray()));
    List<dev.gotrace.core.agg.KeyedLatency> before = List.of(year.apply(2021L, 2L));
    List<dev.gotrace.core.agg.KeyedLatency> now = List.of(year.apply(2021L, 5L), year.apply(2020L, 1L),
        new dev.gotrace.core.agg.KeyedLatency("main.prepareAnswer", entry, List.of(), true, Log2Histogram.of(12_000)));
    TopTable t = TopTable.keyed("/srv/server (pid 4242)", "go1.24.4", 2,
        List.of(fn("main.prepareAnswer", 7, 84_000, 12_000, 12_000, 0)), sections, before, now, 1.0, 3.0);
    List<String> lines = TopLayout.plain(t, TopColumn.CALLS);
    assertEquals("FUNCTION            year       CALLS/S      CALLS      MEAN       P50       P99       MAX  INFLIGHT",
        lines.get(2));
    assertTrue(lines.get(3).matches("main\\.prepareAnswer  2021 +3\\.0 +5 +12\\.0us .* -"), lines.get(3));
    assertTrue(lines.get(4).matches("main\\.prepareAnswer  2020 +1\\.0 +1 .*"), lines.get(4));
    assertTrue(lines.get(5).matches("main\\.prepareAnswer  \\(other\\) +1\\.0 +1 .*"), lines.get(5));
    assertEquals(6, lines.size(), String.join("\n", lines));
  }
}
