package dev.gotrace.export.prometheus;

import dev.gotrace.core.metrics.MetricsSource;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /metrics} over HTTP for the snapshots of {@code sources} (read at each scrape; the list
 * may change between scrapes: {@code gotrace serve} adds and removes processes). Series of two
 * sources with the same labels (two processes of one binary without the pid label) are added.
 * The client's own HTTP server writes every format Prometheus asks for (text, OpenMetrics,
 * protobuf); its registry holds only gotrace's collector.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  /**
   * The client's HTTP server logs a scrape whose reader went away mid-response (a scraper's
   * timeout, a curl ended, gotrace stopping) as SEVERE with a stack trace on the console; the
   * scraper sees its own failure, and gotrace's terminal is not the place for it. Held so that the
   * level stays set (java.util.logging keeps loggers weakly).
   */
  private static final Logger SERVER_LOG = Logger.getLogger("io.prometheus.metrics.exporter.httpserver");

  private final HTTPServer server;

  private PrometheusEndpoint(HTTPServer server) {
    this.server = server;
  }

  /**
   * Binds {@code address} (port 0: any free port) and serves until closed.
   *
   * @param pidLabel whether every series carries the {@code pid} label
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static PrometheusEndpoint start(InetSocketAddress address, Supplier<List<MetricsSource>> sources,
      boolean pidLabel) throws IOException {
    if (address.isUnresolved()) {
      throw new UnknownHostException(address.getHostString() + ": unknown host");
    }
    SERVER_LOG.setLevel(Level.OFF);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new SnapshotCollector(sources, pidLabel));
    HTTPServer server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
        .registry(registry).buildAndStart();
    return new PrometheusEndpoint(server);
  }

  /** The bound port. */
  public int port() {
    return server.getPort();
  }

  /** Stops serving (a scrape in progress may fail). */
  @Override
  public void close() {
    server.close();
  }
}
