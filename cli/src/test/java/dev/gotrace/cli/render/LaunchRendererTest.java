package dev.gotrace.cli.render;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.agg.LaunchCounts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text and NDJSON renderings of the same launches, golden-tested. */
class LaunchRendererTest {
  static final long T0 = 1_764_090_000_123_456_789L;
  static final Event.Caller CHECK_SITE = new Event.Caller("main.checkSite", "gotrace.dev/testdata/server/main.go",
      58, 0x64dbd5);
  static final Event.Caller SPAWN = new Event.Caller("main.spawn", "/root/stage/workload/main.go", 165, 0x4a10b2);
  static final List<Event> EVENTS = List.of(
      new Event.Launch(T0, 8908, 8910, 17, "main.checkSite.func1", "", CHECK_SITE, 23, 2100),
      new Event.Launch(T0 + 40_000, 8908, 8911, 1, "main.spawn.gowrap1", "main.worker", SPAWN, 24, 1800),
      new Event.Launch(T0 + 52_000, 8908, 8911, 1, "main.spawn.gowrap1", "main.worker", SPAWN, 25, 1500),
      new Event.Launch(T0 + 60_000, 8908, 8912, 0, "?", "", Event.Caller.unknown(0), 0, 0),
      new Event.Exit(T0 + 90_000, 8908, 8911, 24, "main.worker", 50_000),
      new Event.Exit(T0 + 95_000, 8908, 8910, 23, "main.checkSite.func1", 1_234_567),
      new Event.Exit(T0 + 97_000, 8908, 8910, 5, "", -1),
      new Event.Lost(T0 + 100_000, 2));

  static LaunchCounts counts() {
    LaunchCounts c = new LaunchCounts();
    EVENTS.forEach(c::add);
    return c;
  }

  @Test
  void textEventsOnOutAndSummaryOnErr() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    LaunchRenderer r = LaunchRenderer.text(new PrintWriter(out), new PrintWriter(err), ZoneOffset.UTC);
    r.header();
    EVENTS.forEach(r::event);
    r.summary(counts(), 2.5);
    CallRendererTest.golden("goroutines-text.txt", out.toString());
    CallRendererTest.golden("goroutines-text-summary.txt", err.toString());
  }

  @Test
  void ndjsonOnOutAndSummaryOnErr() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    LaunchRenderer r = LaunchRenderer.json(new PrintWriter(out), new PrintWriter(err));
    r.header();
    EVENTS.forEach(r::event);
    r.summary(counts(), 2.5);
    CallRendererTest.golden("goroutines-json.ndjson", out.toString());
    CallRendererTest.golden("goroutines-json-summary.txt", err.toString());
  }
}
