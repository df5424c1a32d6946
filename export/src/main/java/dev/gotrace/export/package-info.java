/**
 * Exporters of {@link dev.gotrace.core.metrics.MetricsSnapshot}s: {@code prometheus} serves them at
 * {@code /metrics} through the official Prometheus Java client, {@code otlp} pushes them (and spans
 * per call) over OTLP/HTTP protobuf through the OpenTelemetry Java SDK. No exposition format is
 * written by hand here: the clients own names' escaping, the text and protobuf formats and the wire.
 */
package dev.gotrace.export;
