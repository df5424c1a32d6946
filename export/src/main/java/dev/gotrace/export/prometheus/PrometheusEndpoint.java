package dev.gotrace.export.prometheus;

import dev.gotrace.core.metrics.MetricsSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /metrics} over HTTP for the snapshots of {@code sources} (read at each scrape; the list
 * may change between scrapes: {@code gotrace serve} adds and removes processes). Series of two
 * sources with the same labels (two processes of one binary without the pid label) are added.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  private PrometheusEndpoint() {}

  /**
   * Binds {@code address} (port 0: any free port) and serves until closed.
   *
   * @param pidLabel whether every series carries the {@code pid} label
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static PrometheusEndpoint start(InetSocketAddress address, Supplier<List<MetricsSource>> sources,
      boolean pidLabel) throws IOException {
    throw new UnsupportedOperationException("PrometheusEndpoint is being written (issue 20)");
  }

  /** The bound port. */
  public int port() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
