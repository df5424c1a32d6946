package dev.gotrace.export.otlp;

import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.MetricsSource;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Pushes the snapshots of {@code sources} every {@code interval} over OTLP/HTTP protobuf
 * (cumulative temporality), each source under its own resource (host, binary, Go version, pid).
 *
 * <p>The SDK's {@link OtlpHttpMetricExporter} sends {@link MetricData} built from each snapshot
 * ({@link OtlpMetrics}); no meter provider or reader is involved: the kernel has aggregated
 * already, and a reader would only ask for the same numbers on its own schedule.
 */
public final class OtlpPush implements AutoCloseable {
  /** How long one request may take, and the final push at close at most. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final OtlpHttpMetricExporter exporter;
  private final Supplier<List<MetricsSource>> sources;
  private final boolean pidLabel;
  private final long startNs = System.currentTimeMillis() * 1_000_000L;
  private final PushReport report;
  private final ScheduledExecutorService timer;
  private final Object pushing = new Object();
  private boolean closed;

  private OtlpPush(URI endpoint, Supplier<List<MetricsSource>> sources, boolean pidLabel, Consumer<String> warnings) {
    this.exporter = OtlpHttpMetricExporter.builder().setEndpoint(endpoint.toString()).setTimeout(TIMEOUT)
        .setRetryPolicy(null) // the next push carries the same cumulative numbers
        .build();
    this.sources = sources;
    this.pidLabel = pidLabel;
    this.report = new PushReport("metrics", endpoint, warnings);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gotrace-otlp-push");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts pushing to {@code endpoint} (the full metrics URL, e.g.
   * {@code http://127.0.0.1:9090/api/v1/otlp/v1/metrics}); failures are reported on standard error.
   *
   * @param pidLabel whether every series also carries {@code pid} as a data point attribute
   */
  public static OtlpPush start(URI endpoint, Duration interval, Supplier<List<MetricsSource>> sources,
      boolean pidLabel) {
    return start(endpoint, interval, sources, pidLabel, System.err::println);
  }

  /**
   * As {@link #start(URI, Duration, Supplier, boolean)}, with failures (one line when pushing
   * starts failing, one when it works again) reported to {@code warnings}.
   */
  public static OtlpPush start(URI endpoint, Duration interval, Supplier<List<MetricsSource>> sources,
      boolean pidLabel, Consumer<String> warnings) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the push interval must be positive: " + interval);
    }
    OtlpPush p = new OtlpPush(endpoint, sources, pidLabel, warnings);
    long ms = interval.toMillis();
    p.timer.scheduleWithFixedDelay(p::push, ms, ms, TimeUnit.MILLISECONDS);
    return p;
  }

  /** One push of every source's numbers as of now; waits for the endpoint's answer. */
  void push() {
    synchronized (pushing) {
      if (closed) {
        return;
      }
      try {
        send();
      } catch (RuntimeException e) {
        report.error(e); // a failing source must not end the schedule
      }
    }
  }

  private void send() {
    List<MetricsSnapshot> snaps = new ArrayList<>();
    for (MetricsSource s : sources.get()) {
      snaps.add(s.snapshot()); // may wait for the session's owner (SnapshotExchange)
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<MetricData> all = new ArrayList<>();
    for (MetricsSnapshot snap : snaps) {
      all.addAll(OtlpMetrics.of(snap, pidLabel, startNs, now));
    }
    if (all.isEmpty()) {
      return;
    }
    CompletableResultCode r = exporter.export(all);
    r.join(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    report.result(r);
  }

  /**
   * Pushes once more (the final numbers) and stops: a push under way finishes first (not
   * interrupted, which would report a timeout that was none).
   */
  @Override
  public void close() {
    timer.shutdown(); // cancels the schedule; a running push keeps the lock until it is answered
    synchronized (pushing) {
      if (closed) {
        return;
      }
      try {
        push(); // the lock is reentrant; a failure is reported there
      } finally {
        closed = true;
        exporter.shutdown().join(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }
}
