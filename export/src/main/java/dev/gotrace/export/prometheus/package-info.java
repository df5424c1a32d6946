/**
 * gotrace's {@code /metrics}: a collector that turns {@link dev.gotrace.core.metrics.MetricsSnapshot}s
 * into the official Prometheus Java client's snapshots at each scrape, served by the client's own
 * HTTP server. Names and label rules follow Prometheus' data model and naming conventions
 * (base units: seconds; counters end in {@code _total}, which the client appends); the classic
 * histogram buckets are the kernel's log2 buckets of nanoseconds, {@code le} = 2^k ns.
 */
package dev.gotrace.export.prometheus;
