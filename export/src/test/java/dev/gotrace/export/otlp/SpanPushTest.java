package dev.gotrace.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.testdata.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SpanPush} against a loopback OTLP endpoint decoding with the OTLP protobuf classes: the
 * spans' names, kernel times, attributes and resource, args' entries paired with their returns,
 * sampling, and what a user hears of spans that did not arrive.
 */
class SpanPushTest {
  private static final TargetInfo TARGET = TargetInfo.of(Path.of("/srv/bin/server"), "go1.27.0", 77);
  private static final long T0 = 1_764_633_600_000_000_000L;

  @Test
  void aCompletedCallIsASpanEndingAtItsReturnAndLastingItsLatency() throws Exception {
    List<OtlpReceiver.ReceivedSpan> got;
    try (OtlpReceiver r = OtlpReceiver.start()) {
      try (SpanPush p = SpanPush.start(r.tracesUrl(), 1, TARGET, failOnWarning())) {
        p.completed(new Event.Completed(T0 + 5_000, 77, 12, "main.prepareAnswer", 0x4a0000, 1_500, 0x4a0042), "main.go:72");
        p.completed(new Event.Completed(T0 + 9_000, 77, 13, "main.handler", 0x4a1000, 8_000, 0), "");
      }
      got = r.spans();
    }
    assertEquals(2, got.size());
    Span a = got.get(0).span();
    assertEquals("main.prepareAnswer", a.getName());
    assertEquals(T0 + 3_500, a.getStartTimeUnixNano());
    assertEquals(T0 + 5_000, a.getEndTimeUnixNano());
    assertEquals(Map.of("go.goroutine.id", "12", "process.pid", "77", "go.exit.site", "main.go:72"),
        OtlpReceiver.attributes(a.getAttributesList()));
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, a.getKind());
    assertTrue(a.getParentSpanId().isEmpty(), "each call is a trace's root");
    Span b = got.get(1).span();
    assertEquals(Map.of("go.goroutine.id", "13", "process.pid", "77"), OtlpReceiver.attributes(b.getAttributesList()),
        "no exit site when pclntab has no line");
    assertTrue(!a.getTraceId().equals(b.getTraceId()), "a trace per call");
    Map<String, String> res = OtlpReceiver.attributes(got.get(0).resource().getAttributesList());
    assertEquals("server", res.get("service.name"));
    assertEquals("go1.27.0", res.get("process.runtime.version"));
    assertEquals("77", res.get("process.pid"));
  }

  @Test
  void argsEntriesArePairedWithTheirReturnsPerGoroutineNestedCallsToo() throws Exception {
    List<OtlpReceiver.ReceivedSpan> got;
    try (OtlpReceiver r = OtlpReceiver.start()) {
      try (SpanPush p = SpanPush.start(r.tracesUrl(), 1, TARGET, failOnWarning())) {
        // goroutine 5: fib(2) calls fib(1); goroutine 6 interleaves its own fib(7)
        p.args(entry(T0, 5, "main.fib", arg("n", "2")));
        p.args(entry(T0 + 10, 6, "main.fib", arg("n", "7")));
        p.args(entry(T0 + 20, 5, "main.fib", arg("n", "1")));
        p.args(ret(T0 + 30, 5, "main.fib", 10, arg("~r0", "1")));
        p.args(ret(T0 + 40, 5, "main.fib", 40, arg("~r0", "2")));
        p.args(ret(T0 + 100, 6, "main.fib", 90, arg("~r0", "13")));
        // a return whose entry came before tracing: its latency still places it
        p.args(ret(T0 + 200, 9, "main.fib", 50, arg("~r0", "5")));
        // a line probe's hit and an entry that never returns: no span
        p.args(new Event.Entry(T0 + 300, 77, 1, 5, "main.fib", List.of(), "", true, "main.go:9", List.of(),
            dev.gotrace.core.stack.GoStack.NONE));
        p.args(entry(T0 + 400, 5, "main.fib", arg("n", "3")));
      }
      got = r.spans();
    }
    List<String> seen = new ArrayList<>();
    for (OtlpReceiver.ReceivedSpan s : got) {
      Span sp = s.span();
      Map<String, String> a = OtlpReceiver.attributes(sp.getAttributesList());
      seen.add(a.get("go.goroutine.id") + " " + a.get("go.arg.n") + "->" + a.get("go.result.~r0") + " "
          + (sp.getStartTimeUnixNano() - T0) + ".." + (sp.getEndTimeUnixNano() - T0));
    }
    assertEquals(List.of("5 1->1 20..30", "5 2->2 0..40", "6 7->13 10..100", "9 null->5 150..200"), seen);
  }

  @Test
  void aFractionSendsThatShareOfCallsAndZeroNone() throws Exception {
    int n = 2_000;
    try (OtlpReceiver r = OtlpReceiver.start()) {
      try (SpanPush p = SpanPush.start(r.tracesUrl(), 0.5, TARGET, failOnWarning())) {
        for (int i = 0; i < n; i++) {
          p.completed(new Event.Completed(T0 + i * 1_000L, 77, i, "main.handler", 0x4a1000, 500, 0), "");
        }
      }
      int half = r.spans().size();
      // the sampler decides by each trace id's random bits: binomial(2000, 0.5), sd 22; 800..1200 is 9 sd
      assertTrue(half > 800 && half < 1200, half + " of " + n);
      Set<Long> goroutines = new HashSet<>();
      r.spans().forEach(s -> goroutines.add(Long.parseLong(
          OtlpReceiver.attributes(s.span().getAttributesList()).get("go.goroutine.id"))));
      assertEquals(half, goroutines.size(), "each sampled call once");
    }
    try (OtlpReceiver r = OtlpReceiver.start()) {
      try (SpanPush p = SpanPush.start(r.tracesUrl(), 0, TARGET, failOnWarning())) {
        for (int i = 0; i < 100; i++) {
          p.completed(new Event.Completed(T0 + i, 77, i, "main.handler", 0x4a1000, 1, 0), "");
        }
      }
      assertEquals(0, r.spans().size());
    }
  }

  @Test
  void spansThatCouldNotBeSentAreCountedInOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/v1/traces");
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    try (SpanPush p = SpanPush.start(url, 1, TARGET, warnings::add)) {
      for (int i = 0; i < 3; i++) {
        p.completed(new Event.Completed(T0 + i, 77, i, "main.handler", 0x4a1000, 1, 0), "");
      }
    }
    assertEquals(2, warnings.size(), warnings.toString());
    assertEquals("gotrace: pushing spans to " + url + " failed: cannot connect (nothing listening there?)"
        + " (gotrace keeps trying; said once)", warnings.get(0));
    assertEquals("gotrace: 3 of 3 spans were not delivered", warnings.get(1));
  }

  private static java.util.function.Consumer<String> failOnWarning() {
    return w -> {
      throw new AssertionError(w);
    };
  }

  private static Event.Arg arg(String name, String value) {
    return new Event.Arg(name, "int", value);
  }

  private static Event.Entry entry(long t, long goid, String f, Event.Arg... args) {
    return new Event.Entry(t, 77, 1, goid, f, List.of(args));
  }

  private static Event.Return ret(long t, long goid, String f, long latency, Event.Arg... results) {
    return new Event.Return(t, 77, 1, goid, f, List.of(results), true, latency);
  }
}
