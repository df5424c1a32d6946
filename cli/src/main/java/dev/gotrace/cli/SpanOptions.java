package dev.gotrace.cli;

import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.export.otlp.SpanPush;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import java.util.function.Consumer;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --otlp-spans[=FRACTION]} and {@code --otlp-traces URL}, on latency and args: a span per
 * traced call over OTLP/HTTP, sampled by trace id. The spans go to {@code --otlp-traces URL}, or
 * on latency by default to the {@code --otlp} URL with its final {@code /v1/metrics} made
 * {@code /v1/traces} (a Collector's layout). Checked when the command starts.
 */
final class SpanOptions {
  static final String METRICS_PATH = "/v1/metrics", TRACES_PATH = "/v1/traces";

  @Option(names = "--otlp-spans", arity = "0..1", paramLabel = "FRACTION", fallbackValue = "1",
      preprocessor = AttachedOnly.class,
      description = "Also push a span per call over OTLP/HTTP (--otlp-spans=0.1: a tenth of the calls, chosen by"
          + " trace id; default all), with the goroutine id, pid and (latency) the exit site or (args) the arguments"
          + " and results as attributes go.arg.NAME, go.result.NAME.")
  String spans;

  @Option(names = "--otlp-traces", paramLabel = "URL", description = "Where --otlp-spans go: the full OTLP/HTTP"
      + " traces URL (default on latency: the --otlp URL with /v1/metrics made /v1/traces).")
  String traces;

  /** FRACTION only as {@code --otlp-spans=F}: a bare {@code --otlp-spans} never takes the next word. */
  static final class AttachedOnly implements IParameterPreprocessor {
    @Override
    public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
      if ("=".equals(info.get("separator"))) {
        return false;
      }
      ((OptionSpec) arg).setValue("1");
      return true;
    }
  }

  /** A checked plan: where spans go and which share of calls, or nothing without --otlp-spans. */
  record Plan(URI endpoint, double fraction) {
    /** Starts the span pipeline; a failing endpoint is reported on {@code err}, one line. */
    SpanPush start(TargetInfo target, PrintWriter err) {
      Consumer<String> warn = line -> {
        synchronized (err) {
          err.println(line);
          err.flush();
        }
      };
      return SpanPush.start(endpoint, fraction, target, warn);
    }

    /** The banner line. */
    String describe() {
      return "Pushing " + (fraction == 1 ? "a span per call" : "spans of " + percent(fraction) + " of calls")
          + " to " + endpoint;
    }
  }

  /**
   * The checked options: a bad FRACTION or URL, or spans with nowhere to go, is a usage error.
   *
   * @param metricsUrl the command's {@code --otlp URL} (empty when it has none, or none was given)
   * @param metricsOption how the command names it, for the messages ({@code --otlp}); null when
   *     the command has no metrics push (args)
   */
  Optional<Plan> checked(Optional<String> metricsUrl, String metricsOption) {
    if (spans == null) {
      if (traces != null) {
        throw new UserException(ExitCode.USAGE, "--otlp-traces says where spans go, and none are asked for",
            "add --otlp-spans");
      }
      return Optional.empty();
    }
    double f;
    try {
      f = Double.parseDouble(spans.trim());
    } catch (NumberFormatException e) {
      f = Double.NaN;
    }
    if (!(f > 0 && f <= 1)) {
      throw new UserException(ExitCode.USAGE, "--otlp-spans=" + spans + " is not a fraction of calls",
          "give a number above 0 and at most 1 (0.1 sends a tenth of the calls), or --otlp-spans alone for all");
    }
    if (traces != null) {
      return Optional.of(new Plan(url("--otlp-traces", traces), f));
    }
    if (metricsOption == null) {
      throw new UserException(ExitCode.USAGE, "--otlp-spans needs --otlp-traces URL here",
          "give the OTLP/HTTP traces URL, e.g. --otlp-traces http://127.0.0.1:4318/v1/traces");
    }
    if (metricsUrl.isEmpty()) {
      throw new UserException(ExitCode.USAGE, "--otlp-spans needs " + metricsOption + " URL",
          "add " + metricsOption + " http://127.0.0.1:4318/v1/metrics (spans then go to .../v1/traces),"
              + " or give --otlp-traces URL");
    }
    URI m = url(metricsOption, metricsUrl.get());
    String path = m.getRawPath() == null ? "" : m.getRawPath();
    if (!path.endsWith(METRICS_PATH)) {
      throw new UserException(ExitCode.USAGE, "--otlp-spans: " + metricsOption + " " + metricsUrl.get()
          + " does not end in " + METRICS_PATH + ", so gotrace cannot tell where traces go",
          "give --otlp-traces URL");
    }
    String t = path.substring(0, path.length() - METRICS_PATH.length()) + TRACES_PATH;
    try {
      return Optional.of(new Plan(new URI(m.getScheme(), m.getRawAuthority(), t, m.getRawQuery(), null), f));
    } catch (URISyntaxException e) {
      throw new UserException(ExitCode.USAGE, metricsOption + " " + metricsUrl.get() + " is not a URL", e.getMessage());
    }
  }

  /** An http(s) URL with a host, or a usage error naming the option. */
  static URI url(String option, String text) {
    URI u;
    try {
      u = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new UserException(ExitCode.USAGE, option + " " + text + " is not a URL",
          "e.g. http://127.0.0.1:4318/v1/traces");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new UserException(ExitCode.USAGE, option + " " + text + " is not an http:// or https:// URL",
          "e.g. http://127.0.0.1:4318/v1/traces");
    }
    return u;
  }

  private static String percent(double f) {
    double p = f * 100;
    return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
  }
}
