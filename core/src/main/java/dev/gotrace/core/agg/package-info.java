/**
 * Aggregates over decoded {@link dev.gotrace.core.decode.Event}s, kept in user space: calls per
 * function and records lost, for the summary printed when a trace ends.
 */
package dev.gotrace.core.agg;
