package dev.gotrace.export.otlp;

import dev.gotrace.core.decode.Event;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * args' entries and returns paired into spans: per process, goroutine and function a stack of
 * open calls (a goroutine's calls nest, so a return ends the latest entry of its function). A
 * return whose entry was not seen (the call began before tracing) still spans its latency when the
 * kernel measured one; an entry never returned by the end is dropped, as are a line probe's hit
 * and an inlined copy's entry (no return ends them), and past {@link #MAX_DEPTH} open calls of
 * one function on one goroutine the oldest.
 */
final class ArgsSpans {
  static final int MAX_DEPTH = 1024;

  private final SpanPush push;
  private final Map<Key, Deque<Event.Entry>> open = new HashMap<>();

  ArgsSpans(SpanPush push) {
    this.push = push;
  }

  private record Key(int pid, long goid, String function) {}

  synchronized void event(Event e) {
    if (e instanceof Event.Entry c && c.site().isEmpty() && c.inlinedInto().isEmpty()) {
      Deque<Event.Entry> calls = open.computeIfAbsent(new Key(c.pid(), c.goid(), c.function()),
          k -> new ArrayDeque<>());
      calls.push(c);
      if (calls.size() > MAX_DEPTH) {
        calls.pollLast(); // the oldest, an entry whose return was lost
      }
    } else if (e instanceof Event.Return r) {
      Key k = new Key(r.pid(), r.goid(), r.function());
      Deque<Event.Entry> calls = open.get(k);
      Event.Entry c = calls == null ? null : calls.poll();
      if (calls != null && calls.isEmpty()) {
        open.remove(k);
      }
      long start = c != null ? c.wallNs() : r.latencyNs() >= 0 ? r.wallNs() - r.latencyNs() : -1;
      if (start < 0) {
        return;
      }
      List<Event.Arg> args = c != null ? c.args() : List.of();
      Span s = push.begin(r.function(), start, r.pid(), r.goid(), a -> {
        for (Event.Arg x : args) {
          a.put(SpanPush.ARG + x.name(), x.value());
        }
        for (Event.Arg x : r.results()) {
          a.put(SpanPush.RESULT + x.name(), x.value());
        }
      });
      if (s != null) {
        s.end(r.wallNs(), TimeUnit.NANOSECONDS);
      }
    }
  }

  synchronized void close() {
    open.clear();
  }
}
