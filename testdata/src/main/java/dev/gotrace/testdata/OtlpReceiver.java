package dev.gotrace.testdata;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP endpoint on a free loopback port, as a Collector offers it: {@code POST /v1/metrics}
 * and {@code /v1/traces} with protobuf bodies, decoded by the OTLP project's own generated classes
 * ({@code io.opentelemetry.proto}) and kept for the test to read. It can be told to refuse
 * requests with an HTTP status, as an overloaded or misconfigured endpoint does.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<ExportMetricsServiceRequest> metrics = new ArrayList<>();
  private final List<ExportTraceServiceRequest> traces = new ArrayList<>();
  private volatile int refuseWith;

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /** OTLP attributes (a resource's, a point's, a span's) as name → value text, integers in decimal. */
  public static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      var v = kv.getValue();
      m.put(kv.getKey(), v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue());
    }
    return m;
  }

  public static OtlpReceiver start() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    OtlpReceiver r = new OtlpReceiver(s);
    s.createContext("/v1/metrics", r::metrics);
    s.createContext("/v1/traces", r::traces);
    s.setExecutor(Executors.newFixedThreadPool(2, t -> {
      Thread th = new Thread(t, "otlp-receiver");
      th.setDaemon(true);
      return th;
    }));
    s.start();
    return r;
  }

  public URI metricsUrl() {
    return URI.create(base() + "/v1/metrics");
  }

  public URI tracesUrl() {
    return URI.create(base() + "/v1/traces");
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** From now on answer every request with {@code status} (0: accept again). */
  public void refuseWith(int status) {
    refuseWith = status;
  }

  /** Every metrics request accepted so far, in arrival order. */
  public synchronized List<ExportMetricsServiceRequest> metricRequests() {
    return List.copyOf(metrics);
  }

  /** Every traces request accepted so far, in arrival order. */
  public synchronized List<ExportTraceServiceRequest> traceRequests() {
    return List.copyOf(traces);
  }

  /** Every span received, with its resource. */
  public synchronized List<ReceivedSpan> spans() {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : traces) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span sp : ss.getSpansList()) {
            out.add(new ReceivedSpan(rs.getResource(), sp));
          }
        }
      }
    }
    return out;
  }

  /** Waits until the metrics requests satisfy {@code done}; returns them either way. */
  public List<ExportMetricsServiceRequest> awaitMetrics(Predicate<List<ExportMetricsServiceRequest>> done,
      long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    List<ExportMetricsServiceRequest> now = metricRequests();
    while (!done.test(now) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      now = metricRequests();
    }
    return now;
  }

  /** A span as received, with the resource it came under. */
  public record ReceivedSpan(io.opentelemetry.proto.resource.v1.Resource resource, Span span) {}

  private void metrics(HttpExchange x) throws IOException {
    byte[] body = body(x);
    if (body == null) {
      return;
    }
    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parseFrom(body);
    synchronized (this) {
      metrics.add(req);
    }
    answer(x, ExportMetricsServiceResponse.getDefaultInstance().toByteArray());
  }

  private void traces(HttpExchange x) throws IOException {
    byte[] body = body(x);
    if (body == null) {
      return;
    }
    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
    synchronized (this) {
      traces.add(req);
    }
    answer(x, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
  }

  /** The request body, or null when the request was answered already (refused, wrong method or type). */
  private byte[] body(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      byte[] raw = in.readAllBytes();
      int refuse = refuseWith;
      if (refuse != 0) {
        reject(x, refuse);
        return null;
      }
      if (!"POST".equals(x.getRequestMethod())
          || !"application/x-protobuf".equals(x.getRequestHeaders().getFirst("Content-Type"))) {
        reject(x, 415);
        return null;
      }
      if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
          return z.readAllBytes();
        }
      }
      return raw;
    }
  }

  private static void reject(HttpExchange x, int status) throws IOException {
    x.sendResponseHeaders(status, -1);
    x.close();
  }

  private static void answer(HttpExchange x, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    x.sendResponseHeaders(200, body.length);
    x.getResponseBody().write(body);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
