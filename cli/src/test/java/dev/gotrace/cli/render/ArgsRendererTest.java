package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.decode.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text and NDJSON renderings of the same args events, golden-tested. */
class ArgsRendererTest {
  static final long T0 = 1_764_090_000_123_456_789L;
  static final List<Event> EVENTS = List.of(
      new Event.Entry(T0, 8908, 8910, 17, "main.prepareAnswer", List.of(
          new Event.Arg("name", "string", "\"GopherConRussia2020\""),
          new Event.Arg("year", "int", "2021"), new Event.Arg("status", "int", "200"))),
      new Event.Return(T0 + 43_000, 8908, 8910, 17, "main.prepareAnswer",
          List.of(new Event.Arg("~r0", "string", "\"Hello\"")), true, 43_000),
      new Event.Return(T0 + 50_000, 8908, 8911, 18, "main.multiResult", List.of(
          new Event.Arg("~r0", "int", "2"), new Event.Arg("~r1", "string", "\"gogo\""),
          new Event.Arg("~r2", "error", "nil")), true, 1_250_000),
      new Event.Return(T0 + 60_000, 8908, 8911, 18, "main.wrapper", List.of(), false, -1),
      new Event.Entry(T0 + 70_000, 8908, 8911, 18, "main.add", List.of(), "main.inlineUser at main.go:369", false),
      new Event.Entry(T0 + 80_000, 8908, 8911, 18, "main.(*counter).hit", List.of(
          new Event.Arg("c", "*main.counter", "&main.counter{name: \"main.recurse\", n: 3}")),
          "main.recurse at main.go:130", true),
      new Event.Lost(T0 + 100_000, 3));

  @Test
  void text() throws IOException {
    StringWriter out = new StringWriter();
    ArgsRenderer r = ArgsRenderer.text(new PrintWriter(out), ZoneOffset.UTC);
    EVENTS.forEach(r::event);
    CallRendererTest.golden("args.txt", out.toString());
  }

  @Test
  void ndjson() throws IOException {
    StringWriter out = new StringWriter();
    ArgsRenderer r = ArgsRenderer.json(new PrintWriter(out));
    EVENTS.forEach(r::event);
    CallRendererTest.golden("args.ndjson", out.toString());
  }

  @Test
  void latencyUnits() {
    assertEquals("43µs", ArgsRenderer.latency(43_999));
    assertEquals("1.25ms", ArgsRenderer.latency(1_250_000));
    assertEquals("2.50s", ArgsRenderer.latency(2_500_000_000L));
  }
}
