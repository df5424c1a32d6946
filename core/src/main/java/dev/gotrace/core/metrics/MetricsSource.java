package dev.gotrace.core.metrics;

/** Where an exporter gets a traced process's numbers; called from exporter threads. */
@FunctionalInterface
public interface MetricsSource {
  /** The numbers as of now (or as fresh as the owner of the session could make them). */
  MetricsSnapshot snapshot();
}
