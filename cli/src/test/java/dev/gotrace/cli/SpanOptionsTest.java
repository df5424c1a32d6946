package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --otlp-spans[=FRACTION]} and {@code --otlp-traces URL}: where spans go, and every way to
 * get them wrong refused in one line with exit 2 before anything is attached.
 */
class SpanOptionsTest {
  private static final String BIN = TestBinaries.demoServer().toString();

  @Test
  void spansGoNextToTheMetricsOfACollectorOrPrometheusOrWhereTold() {
    assertEquals(new SpanOptions.Plan(URI.create("http://127.0.0.1:4318/v1/traces"), 1),
        parse("--otlp-spans").checked(Optional.of("http://127.0.0.1:4318/v1/metrics"), "--otlp").orElseThrow());
    assertEquals(new SpanOptions.Plan(URI.create("https://otel.example:443/otlp/v1/traces?tenant=a"), 0.25),
        parse("--otlp-spans=0.25").checked(Optional.of("https://otel.example:443/otlp/v1/metrics?tenant=a"), "--otlp")
            .orElseThrow());
    assertEquals(new SpanOptions.Plan(URI.create("http://tempo:4318/v1/traces"), 1),
        parse("--otlp-spans", "--otlp-traces", "http://tempo:4318/v1/traces")
            .checked(Optional.of("http://127.0.0.1:9090/api/v1/otlp/v1/metrics"), "--otlp").orElseThrow());
    assertEquals(Optional.empty(), parse().checked(Optional.of("http://127.0.0.1:4318/v1/metrics"), "--otlp"));
    assertEquals("Pushing spans of 25% of calls to http://c:4318/v1/traces",
        new SpanOptions.Plan(URI.create("http://c:4318/v1/traces"), 0.25).describe());
    assertEquals("Pushing a span per call to http://c:4318/v1/traces",
        new SpanOptions.Plan(URI.create("http://c:4318/v1/traces"), 1).describe());
  }

  @Test
  void aBareOtlpSpansNeverTakesTheNextWord() {
    // main.prepareAnswer stays the pattern: the complaint is about --otlp, not about a fraction
    refused("gotrace: --otlp-spans needs --otlp URL", "latency", BIN, "--otlp-spans", "main.prepareAnswer");
  }

  @Test
  void mistakesAreOneLineAndExit2() {
    refused("gotrace: --otlp-spans needs --otlp URL", "latency", BIN, "main.handler", "--otlp-spans");
    refused("gotrace: --otlp-spans: --otlp http://127.0.0.1:9/ingest does not end in /v1/metrics, so gotrace"
        + " cannot tell where traces go", "latency", BIN, "main.handler", "--otlp", "http://127.0.0.1:9/ingest",
        "--otlp-spans");
    for (String f : new String[] {"0", "1.5", "half", "-1", "NaN"}) {
      refused("gotrace: --otlp-spans=" + f + " is not a fraction of calls", "latency", BIN, "main.handler", "--otlp",
          "http://127.0.0.1:9/v1/metrics", "--otlp-spans=" + f);
    }
    refused("gotrace: --otlp-spans needs --otlp-traces URL here", "args", BIN, "main.handler", "--otlp-spans");
    refused("gotrace: --otlp-traces says where spans go, and none are asked for", "args", BIN, "main.handler",
        "--otlp-traces", "http://127.0.0.1:4318/v1/traces");
    refused("gotrace: --otlp-traces ftp://127.0.0.1/v1/traces is not an http:// or https:// URL", "args", BIN,
        "main.handler", "--otlp-spans", "--otlp-traces", "ftp://127.0.0.1/v1/traces");
    refused("gotrace: --otlp-spans sends each call, and --hist counts them in the kernel", "args", BIN,
        "main.prepareAnswer", "--hist", "year", "--otlp-spans", "--otlp-traces", "http://127.0.0.1:4318/v1/traces");
  }

  private static void refused(String firstLine, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), String.join(" ", args) + ": " + r.err());
    assertEquals(firstLine, r.err().lines().findFirst().orElse(""), r.err());
    assertEquals(2, r.err().lines().count(), "the error and its hint, no stack trace: " + r.err());
  }

  private static SpanOptions parse(String... args) {
    SpanOptions o = new SpanOptions();
    new CommandLine(CommandLine.Model.CommandSpec.create().addMixin("spans", CommandLine.Model.CommandSpec.forAnnotatedObject(o)))
        .parseArgs(args);
    return o;
  }
}
