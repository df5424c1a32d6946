package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.decode.Event;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text and NDJSON renderings of the same events, golden-tested. */
class CallRendererTest {
  static final long T0 = 1_764_090_000_123_456_789L;
  static final List<Event> EVENTS = List.of(
      new Event.Call(T0, 8908, 8910, 17, "main.handler",
          new Event.Caller("net/http.HandlerFunc.ServeHTTP", "/usr/lib/go/src/net/http/server.go", 2294, 0x6309e9)),
      new Event.Call(T0 + 36_000, 8908, 8910, 17, "main.checkSite",
          new Event.Caller("main.handler", "gotrace.dev/testdata/server/main.go", 50, 0x64da8f)),
      new Event.Call(T0 + 41_000, 8908, 8912, 19, "main.checkSite.func1",
          new Event.Caller("runtime.goexit", "/usr/lib/go/src/runtime/asm_amd64.s", 1700, 0x475e01)),
      new Event.Call(T0 + 90_000, 8908, 8910, 17, "main.prepareAnswer", Event.Caller.unknown(0)),
      new Event.Lost(T0 + 100_000, 3));

  static void golden(String name, String actual) throws IOException {
    Path file = TestBinaries.repoRoot().resolve("cli/src/test/resources/golden").resolve(name);
    if (Boolean.getBoolean("gotrace.updateGolden")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "differs from " + file);
  }

  static CallCounts counts() {
    CallCounts c = new CallCounts(List.of("main.handler", "main.checkSite", "main.checkSite.func1",
        "main.prepareAnswer", "main.ping"));
    EVENTS.forEach(c::add);
    return c;
  }

  @Test
  void textEventsOnOutAndSummaryOnErr() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CallRenderer r = CallRenderer.text(new PrintWriter(out), new PrintWriter(err), ZoneOffset.UTC,
        "main.checkSite.func1".length());
    r.header();
    EVENTS.forEach(r::event);
    r.summary(counts(), 2.5);
    golden("funcs-text.txt", out.toString());
    golden("funcs-text-summary.txt", err.toString());
  }

  @Test
  void ndjsonOnOutAndSummaryOnErr() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CallRenderer r = CallRenderer.json(new PrintWriter(out), new PrintWriter(err));
    r.header();
    EVENTS.forEach(r::event);
    r.summary(counts(), 2.5);
    golden("funcs-json.ndjson", out.toString());
    golden("funcs-json-summary.txt", err.toString());
  }
}
