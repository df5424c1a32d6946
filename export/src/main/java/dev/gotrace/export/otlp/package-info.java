/**
 * OTLP/HTTP protobuf out of gotrace, through the OpenTelemetry Java SDK's exporters: metrics from
 * each {@link dev.gotrace.core.metrics.MetricsSnapshot} as cumulative sums, a gauge and
 * explicit-bucket histograms (the SDK's public {@code MetricData} interfaces over numbers the
 * kernel aggregated, no instruments), each traced process under its own resource in
 * OpenTelemetry's semantic conventions (host, service = binary, process, Go runtime); and spans per
 * call, sampled by the SDK. Names follow Prometheus' OTLP translation rules (3.x) so that a
 * Prometheus receiving the push shows the names its scrape shows.
 */
package dev.gotrace.export.otlp;
