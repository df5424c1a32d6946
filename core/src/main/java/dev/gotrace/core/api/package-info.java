/**
 * gotrace as a library: trace a Go program from Java code and receive its calls as {@link
 * dev.gotrace.core.decode.Event} values, with the same planners, eBPF programs and session that
 * the {@code gotrace} command runs.
 *
 * <pre>{@code
 * try (GoTrace go = GoTrace.open(Path.of("./server"));               // reads the binary, no root
 *     Tracing t = go.latency("main.*").where("year > 2000").start(event -> {
 *       if (event instanceof Event.Completed c) {                    // on the trace's own thread
 *         System.out.println(c.function() + " " + c.latencyNs() + " ns");
 *       }
 *     })) {                                                          // returns once probes are attached
 *   t.awaitEnd(Duration.ofSeconds(10));
 * }                                                                  // close(): detach, free everything
 * }</pre>
 *
 * <p>{@link dev.gotrace.core.api.GoTrace} opens a binary (or the binary of a running process)
 * and hands out one immutable builder per kind of trace: {@link
 * dev.gotrace.core.api.FuncsTrace} (every call), {@link dev.gotrace.core.api.ArgsTrace} (calls
 * with arguments, returns with results), {@link dev.gotrace.core.api.LatencyTrace} (every
 * completed call with its latency) and {@link dev.gotrace.core.api.GoroutinesTrace} (goroutine
 * launches). {@code start} attaches the probes and returns a running {@link
 * dev.gotrace.core.api.Tracing}.
 *
 * <p><b>Threads.</b> Each running trace has one thread of its own, which alone touches its kernel
 * objects: it attaches the probes, reads the ring buffer, calls the {@link
 * dev.gotrace.core.api.TraceListener} (never concurrently, in the order the ring holds the events)
 * and frees everything. {@link dev.gotrace.core.api.Tracing#close()} may be called from any
 * thread, and a {@code GoTrace} may be shared between threads.
 *
 * <p><b>Failures.</b> Everything a user can get wrong or the kernel can refuse is a {@link
 * dev.gotrace.core.api.GoTraceException} carrying the message and hint that {@code gotrace}
 * prints for the same failure ({@link dev.gotrace.core.failure.Failure}). Misuse of a builder (a
 * negative pid, {@code pid} and {@code launch} together) is an {@link IllegalArgumentException}
 * or {@link IllegalStateException}. Tracing needs root, or CAP_BPF and CAP_PERFMON.
 */
package dev.gotrace.core.api;
