/**
 * Aggregates over decoded {@link dev.gotrace.core.decode.Event}s, kept in user space: calls per
 * function and records lost, for the summary printed when a trace ends.
 *
 * <p>Also the values the latency command reports ({@link dev.gotrace.core.agg.FunctionLatency},
 * {@link dev.gotrace.core.agg.Log2Histogram}, {@link dev.gotrace.core.agg.SiteLatency}, {@link
 * dev.gotrace.core.agg.StreamedLatencies}, and per (function, key) of {@code --by} {@link
 * dev.gotrace.core.agg.KeyedLatency}), each function keyed by its identity (its probe entry
 * address), never its name, and the
 * goroutine summaries ({@link dev.gotrace.core.agg.LaunchCounts}, {@link
 * dev.gotrace.core.agg.Lifetimes}).
 */
package dev.gotrace.core.agg;
