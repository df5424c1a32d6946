/**
 * What gotrace exports, independent of any exporter: a {@link dev.gotrace.core.metrics.MetricsSnapshot}
 * per traced process (its labels, calls, latency histograms, in-flight calls, unmatched exits,
 * launches, drops), built from the kernel's aggregates by {@link dev.gotrace.core.metrics.Snapshots},
 * and handed from the thread that owns a session to exporter threads by
 * {@link dev.gotrace.core.metrics.SnapshotExchange}. Label names follow Prometheus' data model
 * ({@code [a-zA-Z_][a-zA-Z0-9_]*}, {@code __} reserved); the exporters in module {@code export}
 * turn snapshots into the Prometheus client's and the OpenTelemetry SDK's own data.
 */
package dev.gotrace.core.metrics;
