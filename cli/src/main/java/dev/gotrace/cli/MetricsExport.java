package dev.gotrace.cli;

import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.MetricsSource;
import dev.gotrace.core.metrics.SnapshotExchange;
import dev.gotrace.export.otlp.OtlpPush;
import dev.gotrace.export.prometheus.PrometheusEndpoint;
import java.util.List;
import java.util.function.Supplier;

/**
 * The running exporters of one command and the exchange that feeds them: the command's loop
 * {@link #offer}s a snapshot builder on every poll (built only when an exporter asks), and
 * {@link #finish}es with the final numbers, which --otlp pushes once more.
 */
final class MetricsExport implements AutoCloseable {
  /** No exporter: offers build nothing. */
  static final MetricsExport NONE = new MetricsExport(null);

  private final SnapshotExchange exchange;
  private PrometheusEndpoint endpoint;
  private OtlpPush push;

  MetricsExport(MetricsSnapshot initial) {
    this.exchange = initial == null ? null : new SnapshotExchange(initial);
  }

  void serving(PrometheusEndpoint e) {
    this.endpoint = e;
  }

  void pushing(OtlpPush p) {
    this.push = p;
  }

  /** What the exporters read: this command's one process (or binary). */
  List<MetricsSource> sources() {
    return exchange == null ? List.of() : List.of(exchange);
  }

  /** Owner side, every poll: builds a snapshot when an exporter is waiting for one. */
  void offer(Supplier<MetricsSnapshot> build) {
    if (exchange != null) {
      exchange.offer(build);
    }
  }

  /** Owner side, at the end: the final numbers, pushed once more by --otlp. */
  void finish(Supplier<MetricsSnapshot> last) {
    if (exchange == null) {
      return;
    }
    exchange.close(last.get());
    if (push != null) {
      OtlpPush p = push;
      push = null;
      p.close();
    }
  }

  /** Stops serving and pushing. */
  @Override
  public void close() {
    if (push != null) {
      push.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
  }
}
