package dev.gotrace.core.api;

import dev.gotrace.core.decode.Event;

/**
 * Receives the events of one running trace, on that trace's own thread, one at a time and in
 * ring order. It should return quickly: while it runs, the kernel keeps writing into the ring
 * buffer, and records that do not fit are lost (reported as {@link Event.Lost}). An exception
 * stops the trace; {@link Tracing#close()} then throws it, wrapped in a {@link GoTraceException}.
 */
@FunctionalInterface
public interface TraceListener {
  /**
   * One event: {@link Event.Call}, {@link Event.Entry}, {@link Event.Return}, {@link
   * Event.Completed} or {@link Event.Launch}, by the kind of trace, or {@link Event.Lost}.
   *
   * @param event the event
   * @throws Exception to stop the trace
   */
  void onEvent(Event event) throws Exception;
}
