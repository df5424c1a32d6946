package dev.gotrace.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.agg.CallCounts;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.KeyedLatency;
import dev.gotrace.core.agg.LaunchCounts;
import dev.gotrace.core.agg.Log2Histogram;
import dev.gotrace.core.decode.Event;
import dev.gotrace.core.metrics.MetricsSnapshot.Calls;
import dev.gotrace.core.metrics.MetricsSnapshot.Launches;
import dev.gotrace.core.metrics.MetricsSnapshot.State;
import dev.gotrace.core.metrics.MetricsSnapshot.Timing;
import dev.gotrace.core.query.KeyValue;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotsTest {
  private static final TargetInfo T = TargetInfo.of(Path.of("/srv/bin/server"), "go1.27.0", 0);

  @Test
  void targetLabelIsTheFileName() {
    assertEquals("server", T.binary());
    assertEquals("/", TargetInfo.of(Path.of("/"), "go1.27.0", 0).binary());
  }

  @Test
  void latencyAddsTwoCopiesOfOneName() {
    Log2Histogram a = Log2Histogram.of(1000, 2000);
    Log2Histogram b = Log2Histogram.of(8000);
    MetricsSnapshot s = Snapshots.latency(T, List.of(), List.of(
        new FunctionLatency("main.f", 0x1000, a, 1, 2, 3),
        new FunctionLatency("main.g", 0x2000, Log2Histogram.EMPTY, 0, 0, 1),
        new FunctionLatency("main.f", 0x3000, b, 10, 20, 30)), List.of(), 4);
    assertEquals(List.of(new Calls("main.f", 3), new Calls("main.g", 0)), s.calls());
    assertEquals(List.of(new State("main.f", 33, 11, 22), new State("main.g", 1, 0, 0)), s.states());
    assertEquals(List.of(new Timing("main.f", List.of(), false, a.plus(b)),
        new Timing("main.g", List.of(), false, Log2Histogram.EMPTY)), s.timings());
    assertEquals(4, s.droppedRecords());
    assertEquals(T, s.target());
    assertTrue(s.launches().isEmpty());
  }

  @Test
  void aFunctionIsInFromItsFirstCallOrCallInFlightOrUnmatchedExit() {
    MetricsSnapshot s = Snapshots.latency(T, List.of(), List.of(
        new FunctionLatency("main.idle", 0x1000, Log2Histogram.EMPTY, 0, 0, 0),
        new FunctionLatency("main.called", 0x2000, Log2Histogram.of(5), 0, 0, 0),
        new FunctionLatency("main.unmatched", 0x3000, Log2Histogram.EMPTY, 1, 0, 0),
        new FunctionLatency("main.unwound", 0x4000, Log2Histogram.EMPTY, 0, 1, 0),
        new FunctionLatency("main.running", 0x5000, Log2Histogram.EMPTY, 0, 0, 1),
        new FunctionLatency("main.idle", 0x6000, Log2Histogram.EMPTY, 0, 0, 0)), List.of(), 0);
    List<String> in = List.of("main.called", "main.unmatched", "main.unwound", "main.running");
    assertEquals(in, s.calls().stream().map(Calls::function).toList());
    assertEquals(in, s.states().stream().map(State::function).toList());
    assertEquals(in, s.timings().stream().map(Timing::function).toList());
  }

  @Test
  void latencyByKeyHasOneTimingPerFunctionAndKeyAndTheOverflowAsOther() {
    List<KeyValue> y2021 = List.of(new KeyValue.IntKey(2021), new KeyValue.StringKey("GopherCon", 9, false));
    List<KeyValue> y2020 = List.of(new KeyValue.IntKey(2020), new KeyValue.Unreadable());
    Log2Histogram h1 = Log2Histogram.of(1000);
    Log2Histogram h2 = Log2Histogram.of(3000, 5000);
    Log2Histogram h3 = Log2Histogram.of(9000);
    Log2Histogram ov = Log2Histogram.of(100, 200, 300);
    List<String> labels = MetricLabels.keyNames(List.of("year", "name"));
    MetricsSnapshot s = Snapshots.latency(T, labels,
        List.of(new FunctionLatency("main.f", 0x1000, h1.plus(h2).plus(ov), 0, 0, 0),
            new FunctionLatency("main.f", 0x3000, h3, 0, 0, 0)),
        List.of(new KeyedLatency("main.f", 0x1000, y2021, false, h1),
            new KeyedLatency("main.f", 0x1000, y2020, false, h2),
            new KeyedLatency("main.f", 0x1000, List.of(), true, ov),
            new KeyedLatency("main.f", 0x3000, y2021, false, h3)), 0);
    assertEquals(List.of("year", "name"), s.keyLabels());
    assertEquals(List.of(new Timing("main.f", List.of("2021", "GopherCon"), false, h1.plus(h3)),
        new Timing("main.f", List.of("2020", MetricLabels.UNREADABLE), false, h2),
        new Timing("main.f", List.of(MetricLabels.OTHER, MetricLabels.OTHER), true, ov)), s.timings());
    assertEquals(List.of(new Calls("main.f", 7)), s.calls());
    assertEquals(s.calls().get(0).calls(), s.timings().stream().mapToLong(t -> t.histogram().count()).sum(),
        "every call is in one key's row or the overflow");
  }

  @Test
  void aKeyOfTheWrongSizeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Snapshots.latency(T,
        List.of("a", "b"), List.of(), List.of(new KeyedLatency("main.f", 1, List.of(new KeyValue.IntKey(1)), false,
            Log2Histogram.of(1))), 0));
    assertEquals("main.f: a key of 1 parts for 2 labels", e.getMessage());
  }

  @Test
  void funcsCountsTheCalledFunctionsAndTheLosses() {
    CallCounts c = new CallCounts(List.of("main.a", "main.b"));
    c.add(new Event.Call(1, 1, 1, 1, "main.b", Event.Caller.unknown(0)));
    c.add(new Event.Call(2, 1, 1, 1, "main.b", Event.Caller.unknown(0)));
    c.add(new Event.Lost(3, 5));
    MetricsSnapshot s = Snapshots.funcs(T, c);
    assertEquals(List.of(new Calls("main.b", 2)), s.calls(), "main.a is in from its first call");
    assertEquals(5, s.droppedRecords());
    assertTrue(s.timings().isEmpty() && s.states().isEmpty() && s.launches().isEmpty() && s.keyLabels().isEmpty());
  }

  @Test
  void goroutinesCountsLaunchesByWhatTheGoroutineRuns() {
    LaunchCounts c = new LaunchCounts();
    c.add(new Event.Launch(1, 1, 1, 1, "main.spawn.gowrap1", "main.worker", Event.Caller.unknown(0), 2, 0));
    c.add(new Event.Launch(2, 1, 1, 1, "main.spawn.gowrap2", "main.worker", Event.Caller.unknown(0), 3, 0));
    c.add(new Event.Launch(3, 1, 1, 1, "main.serve.func1", "", Event.Caller.unknown(0), 4, 0));
    c.add(new Event.Lost(4, 1));
    MetricsSnapshot s = Snapshots.goroutines(T, c);
    assertEquals(List.of(new Launches("main.worker", 2), new Launches("main.serve.func1", 1)), s.launches());
    assertEquals(1, s.droppedRecords());
  }
}
