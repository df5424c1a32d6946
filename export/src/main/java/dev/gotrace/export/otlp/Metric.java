package dev.gotrace.export.otlp;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/**
 * One metric as the OTLP exporter takes it: the SDK's public {@link MetricData} interface over
 * values gotrace already aggregated (the SDK's own implementation lives in an {@code internal}
 * package, and its instruments would aggregate the kernel's aggregates a second time).
 */
record Metric(Resource resource, InstrumentationScopeInfo scope, String name, String description, String unit,
    MetricDataType type, Data<?> data) implements MetricData {
  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getDescription() {
    return description;
  }

  @Override
  public String getUnit() {
    return unit;
  }

  @Override
  public MetricDataType getType() {
    return type;
  }

  @Override
  public Data<?> getData() {
    return data;
  }
}
