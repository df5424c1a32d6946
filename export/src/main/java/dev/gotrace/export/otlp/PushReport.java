package dev.gotrace.export.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user hears of an OTLP endpoint: one line when pushing to it starts failing and one when
 * it works again, never one per push, and never the SDK's own log records (a stack trace per
 * failed request through java.util.logging). Those are taken off the console; the exporter's
 * last one per kind ("Failed to export metrics. Server responded with HTTP status code 503...")
 * gives the reason, since the failure the SDK hands back names no status (its exception type is
 * in an {@code internal} package that is not even on the compile path).
 */
final class PushReport {
  /** Held so that their levels stay set (java.util.logging keeps loggers weakly). */
  private static final Logger SDK_LOG = Logger.getLogger("io.opentelemetry");
  private static final Logger EXPORTER_LOG = Logger.getLogger("io.opentelemetry.exporter");
  /** The exporter's last failure text per kind ("metrics", "spans"), without its prefix. */
  private static final Map<String, String> LAST = new ConcurrentHashMap<>();
  /** The SDK's "Server responded with HTTP status code 503. Error message: ...". */
  private static final Pattern STATUS =
      Pattern.compile("Server responded with HTTP status code (\\d+)\\.(?: Error message:)?(.*)");
  /** The SDK's "Failed to export 6 metrics. Server responded with ..." (the kind, then why). */
  private static final Pattern SDK_FAILURE =
      Pattern.compile("Failed to export (?:\\d+ )?([a-z]+)\\. (.*)", Pattern.DOTALL);

  static {
    SDK_LOG.setLevel(Level.OFF);
    EXPORTER_LOG.setUseParentHandlers(false);
    EXPORTER_LOG.setLevel(Level.WARNING);
    EXPORTER_LOG.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        Matcher m = r.getMessage() == null ? null : SDK_FAILURE.matcher(r.getMessage());
        if (m == null || !m.lookingAt()) {
          return;
        }
        String kind = m.group(1);
        String why = shorter(m.group(2).strip().lines().findFirst().orElse(""));
        Throwable t = r.getThrown();
        if (t != null) {
          why = innermost(t); // "The request could not be executed." says less than its cause
        }
        LAST.put(kind, why);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  private final String kind;
  private final URI endpoint;
  private final Consumer<String> warnings;
  private boolean failing;

  /** @param kind what is pushed, as the SDK's log names it: "metrics" or "spans" */
  PushReport(String kind, URI endpoint, Consumer<String> warnings) {
    this.kind = kind;
    this.endpoint = endpoint;
    this.warnings = warnings;
  }

  /** Reports {@code result}, which the caller waited for (not done: no answer in time). */
  synchronized void result(CompletableResultCode result) {
    if (!result.isDone()) {
      failed("no answer within " + OtlpPush.TIMEOUT.toSeconds() + " s");
    } else if (result.isSuccess()) {
      if (failing) {
        failing = false;
        warnings.accept("gotrace: pushing " + kind + " to " + endpoint + " works again");
      }
    } else {
      String why = LAST.remove(kind);
      failed(why != null ? why : result.getFailureThrowable() != null ? innermost(result.getFailureThrowable())
          : "the endpoint refused it");
    }
  }

  /** A push that could not even be made (a source failed). */
  synchronized void error(RuntimeException e) {
    failed(innermost(e));
  }

  private void failed(String why) {
    if (!failing) {
      failing = true;
      warnings.accept("gotrace: pushing " + kind + " to " + endpoint + " failed: " + why
          + " (gotrace keeps trying; said once)");
    }
  }

  /**
   * "HTTP 404" for the SDK's "Server responded with HTTP status code 404. Error message: Response
   * body has 0 length, ...", "HTTP 400: the text" when the endpoint said something.
   */
  static String shorter(String sdk) {
    Matcher m = STATUS.matcher(sdk);
    if (!m.matches()) {
      return sdk;
    }
    String said = m.group(2).strip();
    boolean nothing = said.isEmpty() || said.startsWith("Response body missing")
        || said.startsWith("Response body has 0 length");
    return "HTTP " + m.group(1) + (nothing ? "" : ": " + said);
  }

  /**
   * What went wrong in a few words: no connection, a timeout, an unknown host, else the innermost
   * message in one line (the JDK's HTTP client gives a refused connection no message at all).
   */
  static String innermost(Throwable t) {
    String msg = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.ConnectException || c instanceof java.nio.channels.ClosedChannelException) {
        return "cannot connect (nothing listening there?)";
      }
      if (c instanceof java.net.http.HttpTimeoutException || c instanceof java.net.SocketTimeoutException) {
        return "timed out";
      }
      if (c instanceof java.net.UnknownHostException) {
        return "unknown host " + c.getMessage();
      }
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        msg = c.getMessage().strip().lines().findFirst().orElse("");
      }
    }
    return msg != null ? msg : t.getClass().getSimpleName();
  }
}
