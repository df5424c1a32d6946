package dev.gotrace.cli.jfr;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.agg.FunctionLatency;
import dev.gotrace.core.agg.Log2Histogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;

/**
 * A JFR recording of one trace, written to a file when closed. Only gotrace's own event types are
 * enabled (no JVM events), without stack traces and with no threshold. Not thread-safe: called
 * from the command's polling thread.
 */
public final class JfrRecorder implements AutoCloseable {
  /**
   * The simple name of the event type of one call ({@code funcs}, {@code args}, {@code latency
   * --calls}); {@code jfr print --events} takes simple names as well as the full ones.
   */
  public static final String GO_CALL = "GoCall";
  /** The simple name of the event type of one function's latency over the trace ({@code latency}). */
  public static final String LATENCY_SUMMARY = "LatencySummary";
  /** The simple name of the event type of one goroutine launch ({@code goroutines}). */
  public static final String GOROUTINE_LAUNCH = "GoroutineLaunch";
  /** The package of gotrace's event type names: gotrace.GoCall. */
  static final String EVENT_PREFIX = "gotrace.";

  /** A latency JFR tools show as N/A: the return was not seen. */
  static final long UNKNOWN = Long.MIN_VALUE;

  private final Recording recording;
  private final Path file;
  private final Timeline timeline;
  /** args: calls waiting for their return, by pid, goroutine and function (a stack for recursion). */
  private final Map<String, Deque<Event.Entry>> open = new HashMap<>();
  private long events;
  private boolean closed;

  private JfrRecorder(Path file) throws IOException {
    this.file = file;
    this.recording = new Recording();
    recording.setName("gotrace");
    for (Class<? extends jdk.jfr.Event> c : List.of(GoCallEvent.class, GoroutineLaunchEvent.class,
        LatencySummaryEvent.class)) {
      recording.enable(c).withThreshold(Duration.ZERO).withoutStackTrace();
    }
    recording.setToDisk(true);
    recording.setDestination(file);
    recording.start();
    this.timeline = new Timeline();
  }

  /** Starts a recording that {@link #close()} writes to {@code file}. */
  public static JfrRecorder start(Path file) {
    try {
      return new JfrRecorder(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record to " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Events committed so far. */
  public long events() {
    return events;
  }

  /** Whether the events land at the calls' times on the timeline (see {@link Timeline}). */
  public boolean exactTimes() {
    return timeline.exact();
  }

  /** A call seen at its entry ({@code funcs}): no duration, no arguments. */
  public void call(Event.Call c) {
    GoCallEvent e = new GoCallEvent();
    e.function = c.function();
    e.goroutine = c.goid();
    e.pid = c.pid();
    e.tid = c.tid();
    Event.Caller caller = c.caller();
    e.caller = caller.function() + (caller.line() > 0 ? " (" + shortFile(caller.file()) + ":" + caller.line() + ")" : "");
    e.startEpochNanos = c.wallNs();
    e.latency = UNKNOWN;
    commit(e, c.wallNs(), 0);
  }

  /** A call or return of {@code args}: a call is recorded once its return is seen (or at the end). */
  public void args(Event ev) {
    if (ev instanceof Event.Entry c && !c.site().isEmpty()) { // a line probe: no return to wait for
      GoCallEvent e = argsEvent(c, c.pid(), c.goid(), c.function(), c.tid());
      e.arguments = String.join(", ", c.args().stream().map(a -> a.name() + "=" + a.value()).toList());
      e.exitSite = c.site();
      e.latency = 0;
      e.startEpochNanos = c.wallNs();
      commit(e, c.wallNs(), 0);
    } else if (ev instanceof Event.Entry c) {
      open.computeIfAbsent(key(c.pid(), c.goid(), c.function()), k -> new ArrayDeque<>()).push(c);
    } else if (ev instanceof Event.Return r) {
      Deque<Event.Entry> calls = open.get(key(r.pid(), r.goid(), r.function()));
      Event.Entry c = calls == null ? null : calls.poll();
      long start = c != null ? c.wallNs() : r.latencyNs() >= 0 ? r.wallNs() - r.latencyNs() : r.wallNs();
      GoCallEvent e = argsEvent(c, r.pid(), r.goid(), r.function(), c != null ? c.tid() : r.tid());
      e.results = !r.resultsKnown() ? "(left by a tail call: results not read)"
          : String.join(", ", r.results().stream().map(Event.Arg::value).toList());
      e.latency = r.latencyNs() >= 0 ? r.latencyNs() : UNKNOWN;
      e.startEpochNanos = start;
      commit(e, start, r.latencyNs() >= 0 ? r.latencyNs() : r.wallNs() - start);
    }
  }

  /** A completed call streamed by {@code latency --calls}: it ended at its time stamp. */
  public void completed(Event.Completed c, String exitSite) {
    GoCallEvent e = new GoCallEvent();
    e.function = c.function();
    e.goroutine = c.goid();
    e.pid = c.pid();
    e.exitSite = exitSite;
    e.latency = c.latencyNs();
    e.startEpochNanos = c.wallNs() - c.latencyNs();
    commit(e, e.startEpochNanos, c.latencyNs());
  }

  /** A goroutine launch, timed over newproc1. */
  public void launch(Event.Launch l) {
    GoroutineLaunchEvent e = new GoroutineLaunchEvent();
    e.function = l.runs();
    e.wrapper = l.target().isEmpty() ? "" : l.function();
    e.creator = l.creatorGoid();
    e.creationSite = l.site().function()
        + (l.site().line() > 0 ? " at " + shortFile(l.site().file()) + ":" + l.site().line() : "");
    e.newGoroutine = l.newGoid();
    e.pid = l.pid();
    e.startEpochNanos = l.wallNs();
    commit(e, l.wallNs(), l.durationNs());
  }

  /** The kernel's per-function aggregation over the traced time ({@code latency} without --calls). */
  public void summaries(List<FunctionLatency> functions, long startEpochNs, long endEpochNs) {
    for (FunctionLatency f : functions) {
      Log2Histogram h = f.histogram();
      LatencySummaryEvent e = new LatencySummaryEvent();
      e.function = f.function();
      e.calls = h.count();
      e.mean = Math.round(h.mean());
      e.p50 = h.count() == 0 ? 0 : Math.round(h.percentile(0.5));
      e.p99 = h.count() == 0 ? 0 : Math.round(h.percentile(0.99));
      e.min = h.min();
      e.max = h.max();
      e.inFlight = f.inFlight();
      commit(e, startEpochNs, endEpochNs - startEpochNs);
    }
  }

  private GoCallEvent argsEvent(Event.Entry c, int pid, long goid, String function, int tid) {
    GoCallEvent e = new GoCallEvent();
    e.function = function;
    e.goroutine = goid;
    e.pid = pid;
    e.tid = tid;
    if (c != null) {
      e.arguments = !c.inlinedInto().isEmpty() ? "(inlined into " + c.inlinedInto() + ": arguments unavailable)"
          : String.join(", ", c.args().stream().map(a -> a.name() + "=" + a.value()).toList());
    }
    return e;
  }

  private void commit(jdk.jfr.Event e, long startEpochNs, long durationNs) {
    timeline.place(e, startEpochNs, durationNs);
    e.commit();
    events++;
  }

  private static String key(int pid, long goid, String function) {
    return pid + "/" + goid + "/" + function;
  }

  private static String shortFile(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }

  /** Records the calls still waiting for a return (latency N/A), stops and writes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      List<Event.Entry> pending = new ArrayList<>();
      open.values().forEach(pending::addAll);
      for (Event.Entry c : pending) {
        GoCallEvent e = argsEvent(c, c.pid(), c.goid(), c.function(), c.tid());
        e.latency = UNKNOWN;
        e.startEpochNanos = c.wallNs();
        commit(e, c.wallNs(), 0);
      }
      open.clear();
      recording.stop();
    } finally {
      recording.close();
    }
  }
}
