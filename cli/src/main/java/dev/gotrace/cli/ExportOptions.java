package dev.gotrace.cli;

import dev.gotrace.core.metrics.MetricsSnapshot;
import dev.gotrace.core.metrics.TargetInfo;
import dev.gotrace.export.otlp.OtlpPush;
import dev.gotrace.export.prometheus.PrometheusEndpoint;
import dev.gotrace.goelf.GoBinary;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --prometheus [ADDR:]PORT}, {@code --metrics-pid}, {@code --otlp URL} and
 * {@code --otlp-interval TIME} of latency, funcs and goroutines: the command's numbers served at
 * {@code /metrics} and pushed over OTLP while it runs. Checked before the binary is read; the
 * exporters start once the target is known ({@link #start}).
 */
final class ExportOptions {
  /** The address of {@code --prometheus PORT}: loopback, so nothing is exposed unless asked. */
  static final String DEFAULT_HOST = "127.0.0.1";
  static final String DEFAULT_OTLP_INTERVAL = "10s";

  private static final Pattern ADDRESS = Pattern.compile("(?:(\\[[^\\]]*\\]|[^:\\[\\]]*):)?([^:]*)");

  @Option(names = "--prometheus", paramLabel = "[ADDR:]PORT", description = "Serve the numbers at"
      + " http://ADDR:PORT/metrics while tracing, for Prometheus to scrape (ADDR: " + DEFAULT_HOST
      + " unless given, 0.0.0.0 or [::] for every interface; PORT 0: any free port, the banner says which).")
  String prometheus;

  @Option(names = "--metrics-pid", description = "Give every exported series the label pid (off by default:"
      + " one series per binary, the processes' numbers added).")
  boolean metricsPid;

  @Option(names = "--otlp", paramLabel = "URL", description = "Push the numbers over OTLP/HTTP (protobuf) to"
      + " URL every --otlp-interval and once at the end, e.g. http://127.0.0.1:4318/v1/metrics.")
  String otlp;

  @Option(names = "--otlp-interval", paramLabel = "TIME", description = "How often --otlp pushes (default: "
      + DEFAULT_OTLP_INTERVAL + ").")
  String otlpInterval;

  /** Whether any exporter was asked for. */
  boolean enabled() {
    return prometheus != null || otlp != null;
  }

  /**
   * Refuses a bad address, URL or interval and options that need an exporter, before anything is
   * read, launched or attached.
   */
  void check() {
    if (prometheus != null) {
      address(prometheus);
    }
    if (otlp != null) {
      otlpUri(otlp);
    }
    TimeOption.parse("--otlp-interval", otlpInterval, false);
    if (!enabled() && (metricsPid || otlpInterval != null)) {
      throw new UserException(ExitCode.USAGE, (metricsPid ? "--metrics-pid" : "--otlp-interval")
          + " labels or times exported numbers, and none are exported", "add --prometheus PORT or --otlp URL");
    }
    if (otlpInterval != null && otlp == null) {
      throw new UserException(ExitCode.USAGE, "--otlp-interval is how often --otlp pushes, and there is no --otlp",
          "add --otlp URL");
    }
  }

  /**
   * Starts the exporters asked for (binding --prometheus, so a taken port is a usage error now)
   * and says where on {@code err}; {@link MetricsExport#NONE} when none is.
   */
  MetricsExport start(TargetInfo target, List<String> keyLabels, PrintWriter err) {
    if (!enabled()) {
      return MetricsExport.NONE;
    }
    MetricsExport export = new MetricsExport(MetricsSnapshot.empty(target, keyLabels));
    try {
      if (prometheus != null) {
        InetSocketAddress at = address(prometheus);
        PrometheusEndpoint endpoint;
        try {
          endpoint = PrometheusEndpoint.start(at, export::sources, metricsPid);
        } catch (IOException e) {
          throw bindFailure(e);
        }
        export.serving(endpoint);
        err.println("Serving metrics at http://" + hostText(prometheus) + ":" + endpoint.port() + "/metrics");
      }
      if (otlp != null) {
        Duration every = otlpInterval == null ? Duration.ofSeconds(10)
            : TimeOption.parse("--otlp-interval", otlpInterval, false);
        export.pushing(OtlpPush.start(otlpUri(otlp), every, export::sources, metricsPid, line -> {
          err.println(line); // PrintWriter's println holds its lock: the line stays whole
          err.flush();
        }));
        err.println("Pushing metrics to " + otlp + " every " + (otlpInterval == null ? DEFAULT_OTLP_INTERVAL
            : otlpInterval.strip()));
      }
    } catch (RuntimeException e) {
      export.close();
      throw e;
    }
    err.flush();
    return export;
  }

  private UserException bindFailure(IOException e) {
    String why = e instanceof BindException b && b.getMessage() != null
        && b.getMessage().toLowerCase(Locale.ROOT).contains("in use") ? "address in use"
        : e instanceof BindException ? "cannot bind: " + lower(e.getMessage()) + " (not an address of this host?)"
        : "cannot bind: " + lower(e.getMessage());
    return new UserException(ExitCode.USAGE, "--prometheus " + prometheus + ": " + why,
        "give another port, or --prometheus 0 for any free one", e);
  }

  private static String lower(String s) {
    return s == null || s.isEmpty() ? "unknown error" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * The socket address of {@code [ADDR:]PORT}: {@code 9464} is {@value #DEFAULT_HOST}:9464, ADDR
   * an IPv4 address, a host name or an IPv6 address in brackets ({@code [::]:9464}).
   */
  static InetSocketAddress address(String text) {
    Matcher m = ADDRESS.matcher(text.strip());
    if (!m.matches()) {
      throw badAddress(text, text.indexOf('[') < 0 && text.chars().filter(c -> c == ':').count() > 1
          ? "an IPv6 address needs brackets" : "not [ADDR:]PORT");
    }
    String host = m.group(1);
    if (host != null && host.isEmpty()) {
      throw badAddress(text, "no address before the colon (write 0.0.0.0:PORT for every interface)");
    }
    int port = port(text, m.group(2));
    if (host == null) {
      host = DEFAULT_HOST;
    }
    boolean bracketed = host.startsWith("[");
    String name = bracketed ? host.substring(1, host.length() - 1) : host;
    if (name.isEmpty()) {
      throw badAddress(text, "empty brackets");
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(name);
    } catch (UnknownHostException | SecurityException e) {
      throw badAddress(text, "unknown host " + name);
    }
    if (bracketed && !(a instanceof Inet6Address)) {
      throw badAddress(text, "brackets are for IPv6 addresses");
    }
    return new InetSocketAddress(a, port);
  }

  private static int port(String text, String digits) {
    if (digits.isEmpty()) {
      throw badAddress(text, "no port");
    }
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 5) {
      throw badAddress(text, "the port '" + digits + "' is not a number from 0 to 65535");
    }
    int port = Integer.parseInt(digits);
    if (port > 65535) {
      throw badAddress(text, "the port " + port + " is past 65535");
    }
    return port;
  }

  private static UserException badAddress(String text, String why) {
    return new UserException(ExitCode.USAGE, "--prometheus " + text + ": " + why,
        "write --prometheus 9464 (" + DEFAULT_HOST + "), 0.0.0.0:9464 or [::]:9464 (every interface)");
  }

  /** An OTLP/HTTP URL: http or https, with a host. */
  static URI otlpUri(String text) {
    URI u;
    try {
      u = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw badUrl(text, "not a URL (" + e.getReason() + ")");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw badUrl(text, "OTLP/HTTP needs an http:// or https:// URL");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw badUrl(text, "no host");
    }
    return u;
  }

  private static UserException badUrl(String text, String why) {
    return new UserException(ExitCode.USAGE, "--otlp " + text + ": " + why,
        "write e.g. --otlp http://127.0.0.1:4318/v1/metrics (the collector's metrics URL)");
  }

  /**
   * The labels of the traced process: the binary, its Go release, and the pid when the trace
   * follows exactly one process (-p PID once, or the launched command), else 0.
   */
  static TargetInfo target(GoBinary bin, List<Integer> pids) {
    return TargetInfo.of(bin.path(), bin.goVersion().toString(), pids.size() == 1 ? pids.get(0) : 0);
  }

  /** The address of {@code [ADDR:]PORT} as the user wrote it ({@value #DEFAULT_HOST} when only a port). */
  static String hostText(String text) {
    Matcher m = ADDRESS.matcher(text.strip());
    return m.matches() && m.group(1) != null ? m.group(1) : DEFAULT_HOST;
  }
}
