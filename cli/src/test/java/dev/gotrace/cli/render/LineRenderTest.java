package dev.gotrace.cli.render;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.stack.GoStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Line probes' events in args (text and NDJSON) and funcs (text and NDJSON), golden-tested: the
 * site with its copy, the function and where it was inlined, the values live there.
 */
class LineRenderTest {
  static final long T0 = 1_764_090_000_123_456_789L;
  static final List<Event> ARGS = List.of(
      new Event.Entry(T0, 4712, 4712, 1, "main.loop", List.of(new Event.Arg("n", "int", "3"),
          new Event.Arg("acc", "int", "3"), new Event.Arg("i", "int", "2")), "", true, "main.go:98", List.of(),
          GoStack.NONE),
      new Event.Entry(T0 + 1_000, 4712, 4712, 1, "main.clamp", List.of(new Event.Arg("v", "int", "70")),
          "main.useClampA at main.go:121", true, "main.go:112 [1/2]", List.of(), GoStack.NONE),
      new Event.Entry(T0 + 2_000, 4712, 4712, 1, "main.recurse", List.of(), "", false, "main.recurse+1",
          List.of(), GoStack.NONE));
  static final List<Event> FUNCS = List.of(
      new Event.Call(T0, 4712, 4712, 1, "main.loop", new Event.Caller("main.round", "/src/look/main.go", 67, 0x4a6090),
          "main.go:98", List.of(), GoStack.NONE),
      new Event.Call(T0 + 1_000, 4712, 4712, 1, "main.clamp", new Event.Caller("main.useClampB", "/src/look/main.go", 127, 0),
          "main.go:112 [2/2]", List.of(), GoStack.NONE));

  @Test
  void args() throws IOException {
    StringWriter text = new StringWriter();
    ArgsRenderer t = ArgsRenderer.text(new PrintWriter(text), ZoneOffset.UTC);
    ARGS.forEach(t::event);
    t.flush();
    CallRendererTest.golden("args-lines.txt", text.toString());
    StringWriter json = new StringWriter();
    ArgsRenderer j = ArgsRenderer.json(new PrintWriter(json));
    ARGS.forEach(j::event);
    j.flush();
    CallRendererTest.golden("args-lines.ndjson", json.toString());
  }

  @Test
  void funcs() throws IOException {
    StringWriter text = new StringWriter();
    StringWriter err = new StringWriter();
    CallRenderer t = CallRenderer.text(new PrintWriter(text), new PrintWriter(err), ZoneOffset.UTC, 10);
    FUNCS.forEach(t::event);
    t.flush();
    CallRendererTest.golden("funcs-lines.txt", text.toString());
    StringWriter json = new StringWriter();
    CallRenderer j = CallRenderer.json(new PrintWriter(json), new PrintWriter(err));
    FUNCS.forEach(j::event);
    j.flush();
    CallRendererTest.golden("funcs-lines.ndjson", json.toString());
  }
}
