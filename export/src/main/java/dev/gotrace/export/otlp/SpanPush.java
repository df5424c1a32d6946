package dev.gotrace.export.otlp;

import dev.gotrace.core.decode.Event;
import dev.gotrace.core.metrics.TargetInfo;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A span per traced call, pushed over OTLP/HTTP protobuf: the SDK's {@link OtlpHttpSpanExporter}
 * behind a {@link BatchSpanProcessor}, sampled by {@link Sampler#traceIdRatioBased} (each call is
 * the root of a trace of its own, so the fraction is of calls). Spans carry the kernel's times:
 * a latency call ends when it returned and starts its latency earlier; an args call spans its
 * entry to its return ({@link ArgsSpans} pairs them).
 */
public final class SpanPush implements AutoCloseable {
  /** The attributes every span has; {@code go.arg.NAME} and {@code go.result.NAME} per value (args). */
  public static final AttributeKey<Long> GOROUTINE = AttributeKey.longKey("go.goroutine.id"),
      PID = AttributeKey.longKey("process.pid");
  /** latency: the exit instruction's file:line. */
  public static final AttributeKey<String> EXIT_SITE = AttributeKey.stringKey("go.exit.site");
  public static final String ARG = "go.arg.", RESULT = "go.result.";
  /** Spans waiting for the exporter; more are dropped (and counted at close). */
  static final int QUEUE = 16_384;

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final AtomicLong sampled = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final PushReport report;
  private final Consumer<String> warnings;
  private final ArgsSpans args = new ArgsSpans(this);

  private SpanPush(URI endpoint, double fraction, TargetInfo target, Consumer<String> warnings) {
    this.warnings = warnings;
    this.report = new PushReport("spans", endpoint, warnings);
    OtlpHttpSpanExporter otlp = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString())
        .setTimeout(OtlpPush.TIMEOUT).setRetryPolicy(null).build();
    this.provider = SdkTracerProvider.builder()
        .setResource(TargetResource.of(target))
        .setSampler(Sampler.traceIdRatioBased(fraction))
        .addSpanProcessor(BatchSpanProcessor.builder(new Counted(otlp)).setMaxQueueSize(QUEUE)
            .setScheduleDelay(Duration.ofSeconds(1)).build())
        .build();
    this.tracer = provider.get("gotrace");
  }

  /**
   * Starts a span pipeline to {@code endpoint} (the full traces URL, e.g.
   * {@code http://127.0.0.1:4318/v1/traces}).
   *
   * @param fraction the share of calls sent, 0 to 1
   * @param target the resource: the binary, its Go version, the pid when one process is traced
   * @param warnings where a failing endpoint and undelivered spans are reported, one line each
   */
  public static SpanPush start(URI endpoint, double fraction, TargetInfo target, Consumer<String> warnings) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("a fraction from 0 to 1: " + fraction);
    }
    return new SpanPush(endpoint, fraction, target, warnings);
  }

  /** latency: a completed call, from {@code latency} before it returned to its return. */
  public void completed(Event.Completed c, String exitSite) {
    Span s = begin(c.function(), c.wallNs() - c.latencyNs(), c.pid(), c.goid(), null);
    if (s != null) {
      if (!exitSite.isEmpty()) {
        s.setAttribute(EXIT_SITE, exitSite);
      }
      s.end(c.wallNs(), TimeUnit.NANOSECONDS);
    }
  }

  /** args: an entry or a return; a call becomes a span at its return. */
  public void args(Event e) {
    args.event(e);
  }

  /**
   * A started span of {@code function}, with its common attributes and {@code values}' set,
   * or null when the sampler dropped it.
   */
  Span begin(String function, long startNs, int pid, long goid, Consumer<AttributesBuilder> values) {
    var b = tracer.spanBuilder(function).setSpanKind(SpanKind.INTERNAL).setNoParent()
        .setStartTimestamp(startNs, TimeUnit.NANOSECONDS)
        .setAttribute(GOROUTINE, goid).setAttribute(PID, (long) pid);
    Span s = b.startSpan();
    if (!s.isRecording()) {
      return null;
    }
    sampled.incrementAndGet();
    if (values != null) {
      AttributesBuilder a = Attributes.builder();
      values.accept(a);
      s.setAllAttributes(a.build());
    }
    return s;
  }

  /** Sends what is queued, waits for it (10 s at most), and reports spans that did not arrive. */
  @Override
  public void close() {
    args.close();
    provider.shutdown().join(OtlpPush.TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    long lost = sampled.get() - delivered.get();
    if (lost > 0) {
      warnings.accept("gotrace: " + lost + " of " + sampled.get() + " spans were not delivered"
          + (delivered.get() == 0 ? "" : " (the queue of " + QUEUE + " was full, or the endpoint failed)"));
    }
  }

  /** The OTLP exporter, with each batch's outcome reported and the delivered spans counted. */
  private final class Counted implements SpanExporter {
    private final SpanExporter inner;

    Counted(SpanExporter inner) {
      this.inner = inner;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode r = inner.export(spans);
      int n = spans.size();
      r.whenComplete(() -> {
        if (r.isSuccess()) {
          delivered.addAndGet(n);
        }
        report.result(r);
      });
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return inner.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return inner.shutdown();
    }
  }
}
