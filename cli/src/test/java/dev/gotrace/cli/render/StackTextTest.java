package dev.gotrace.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.stack.Frame;
import dev.gotrace.core.stack.GoStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stack under each kind of event, as text and NDJSON, golden-tested; one line per early end. */
class StackTextTest {
  static final String MAIN = "/root/look/main.go";
  static final List<Frame> CHAIN_C = List.of(
      new Frame("main.leaf", MAIN, 150, false, 0x4a1c20),
      new Frame("main.wrap", MAIN, 175, true, 0x4a1d45),
      new Frame("main.chainC", MAIN, 181, false, 0x4a1d45),
      new Frame("main.round", MAIN, 87, false, 0x4a1a10),
      new Frame("main.main", MAIN, 57, false, 0x4a17f0),
      new Frame("runtime.main", "/usr/lib/go-1.27/src/runtime/proc.go", 302, false, 0x43b2c7));

  static Event.Call call(GoStack s) {
    return new Event.Call(CallRendererTest.T0, 4715, 4715, 1, "main.leaf",
        new Event.Caller("main.chainC", MAIN, 175, 0x4a1d45), "", List.of(), s);
  }

  @Test
  void everyEndAsTextAndJson() throws IOException {
    List<GoStack> stacks = List.of(
        new GoStack(CHAIN_C, GoStack.End.COMPLETE, ""),
        new GoStack(CHAIN_C.subList(0, 3), GoStack.End.DEPTH, ""),
        new GoStack(CHAIN_C.subList(0, 1), GoStack.End.NO_FRAME_POINTER, "main.leaf"),
        new GoStack(List.of(new Frame("main.leaf", MAIN, 150, false, 0x4a1c20),
            new Frame("runtime.morestack", "/usr/lib/go-1.27/src/runtime/asm_amd64.s", 621, false, 0x4771e5)),
            GoStack.End.MORESTACK, "runtime.morestack"),
        new GoStack(List.of(new Frame("?", "", 0, false, 0x10)), GoStack.End.UNREADABLE, "0x10"),
        new GoStack(List.of(), GoStack.End.MAP_FULL, ""),
        GoStack.NONE);
    StringWriter text = new StringWriter();
    StringWriter json = new StringWriter();
    CallRenderer t = CallRenderer.text(new PrintWriter(text), new PrintWriter(new StringWriter()), ZoneOffset.UTC, 9);
    CallRenderer j = CallRenderer.json(new PrintWriter(json), new PrintWriter(new StringWriter()));
    for (GoStack s : stacks) {
      t.event(call(s));
      j.event(call(s));
    }
    t.flush();
    j.flush();
    CallRendererTest.golden("stack-text.txt", text.toString());
    CallRendererTest.golden("stack-json.ndjson", json.toString());
    assertEquals(7, json.toString().split("\n").length, "one object per event");
  }

  @Test
  void argsAndLatencyCallsShowTheStackTheSameWay() {
    StringWriter out = new StringWriter();
    ArgsRenderer a = ArgsRenderer.text(new PrintWriter(out), ZoneOffset.UTC);
    a.event(new Event.Entry(CallRendererTest.T0, 4715, 4715, 1, "main.leaf", List.of(), "", true, "", List.of(),
        new GoStack(CHAIN_C.subList(0, 2), GoStack.End.DEPTH, "")));
    a.flush();
    assertEquals(List.of("    main.leaf (main.go:150)", "    main.wrap (main.go:175, inlined)",
        "    ... stack cut at depth 1 (--stack=N for more)"), List.of(out.toString().split("\n")).subList(1, 4));
    StringWriter lat = new StringWriter();
    LatencyCallRenderer l = LatencyCallRenderer.text(new PrintWriter(lat), ZoneOffset.UTC, 9);
    l.call(new Event.Completed(CallRendererTest.T0, 4715, 1, "main.leaf", 0x4a1c20, 9_110, 0x4a1c40,
        new GoStack(CHAIN_C.subList(0, 3), GoStack.End.COMPLETE, "")), "main.go:152");
    l.flush();
    assertEquals(List.of("    main.leaf (main.go:150)", "    main.wrap (main.go:175, inlined)",
        "    main.chainC (main.go:181)"), List.of(lat.toString().split("\n")).subList(1, 4));
  }
}
