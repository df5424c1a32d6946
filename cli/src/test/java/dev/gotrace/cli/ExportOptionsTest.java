package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * --prometheus, --metrics-pid, --otlp and --otlp-interval are checked before anything is read or
 * attached, and a port that cannot be bound is one line before the probes attach (no root needed).
 */
class ExportOptionsTest {
  private static final String BIN = TestBinaries.demoServer().toString();

  private static String[] refused(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCode.USAGE.code(), r.exitCode(), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    String[] lines = r.err().split("\n");
    assertEquals(2, lines.length, r.err());
    assertTrue(lines[1].startsWith("hint: "), r.err());
    return lines;
  }

  @Test
  void aPortAloneIsLoopback() {
    InetSocketAddress a = ExportOptions.address("9464");
    assertEquals("127.0.0.1", a.getAddress().getHostAddress());
    assertEquals(9464, a.getPort());
    assertEquals(0, ExportOptions.address("0").getPort());
  }

  @Test
  void anAddressBeforeThePort() throws Exception {
    assertTrue(ExportOptions.address("0.0.0.0:9464").getAddress().isAnyLocalAddress());
    InetSocketAddress v6 = ExportOptions.address("[::]:9464");
    assertTrue(v6.getAddress() instanceof Inet6Address && v6.getAddress().isAnyLocalAddress(), v6.toString());
    assertEquals(InetAddress.getByName("::1"), ExportOptions.address("[::1]:80").getAddress());
    assertTrue(ExportOptions.address("localhost:9464").getAddress().isLoopbackAddress());
    assertEquals(65535, ExportOptions.address("10.1.2.3:65535").getPort());
    assertEquals("[::]", ExportOptions.hostText("[::]:9464"), "the banner's address as written");
    assertEquals("127.0.0.1", ExportOptions.hostText("9464"));
  }

  @Test
  void badAddressesAreUsageErrors() {
    assertEquals("gotrace: --prometheus ::1:9464: an IPv6 address needs brackets",
        refused("latency", BIN, "main.handler", "--prometheus", "::1:9464")[0]);
    assertEquals("gotrace: --prometheus :9464: no address before the colon (write 0.0.0.0:PORT for every interface)",
        refused("latency", BIN, "main.handler", "--prometheus", ":9464")[0]);
    assertEquals("gotrace: --prometheus 65536: the port 65536 is past 65535",
        refused("funcs", BIN, "main.handler", "--prometheus", "65536")[0]);
    assertEquals("gotrace: --prometheus web: the port 'web' is not a number from 0 to 65535",
        refused("goroutines", BIN, "--prometheus", "web")[0]);
    assertEquals("gotrace: --prometheus [::1]: not [ADDR:]PORT",
        refused("latency", BIN, "main.handler", "--prometheus", "[::1]")[0]);
    assertEquals("gotrace: --prometheus 127.0.0.1:: no port",
        refused("latency", BIN, "main.handler", "--prometheus", "127.0.0.1:")[0]);
    assertEquals("gotrace: --prometheus [127.0.0.1]:80: brackets are for IPv6 addresses",
        refused("latency", BIN, "main.handler", "--prometheus", "[127.0.0.1]:80")[0]);
    String[] l = refused("latency", BIN, "main.handler", "--prometheus", "no-such-host.invalid:9464");
    assertEquals("gotrace: --prometheus no-such-host.invalid:9464: unknown host no-such-host.invalid", l[0]);
    assertEquals("hint: write --prometheus 9464 (127.0.0.1), 0.0.0.0:9464 or [::]:9464 (every interface)", l[1]);
  }

  @Test
  void badOtlpUrlsAndIntervalsAreUsageErrors() {
    assertEquals("gotrace: --otlp ftp://collector/v1/metrics: OTLP/HTTP needs an http:// or https:// URL",
        refused("latency", BIN, "main.handler", "--otlp", "ftp://collector/v1/metrics")[0]);
    assertEquals("gotrace: --otlp http:///v1/metrics: no host",
        refused("latency", BIN, "main.handler", "--otlp", "http:///v1/metrics")[0]);
    assertEquals("gotrace: --otlp-interval '5' has no unit",
        refused("latency", BIN, "main.handler", "--otlp", "http://127.0.0.1:4318/v1/metrics", "--otlp-interval", "5")[0]);
    assertEquals("gotrace: --otlp-interval must be longer than zero",
        refused("funcs", BIN, "main.handler", "--otlp", "http://127.0.0.1:4318/v1/metrics", "--otlp-interval", "0s")[0]);
  }

  @Test
  void optionsOfAnExporterNeedOne() {
    String[] l = refused("latency", BIN, "main.handler", "--metrics-pid");
    assertEquals("gotrace: --metrics-pid labels or times exported numbers, and none are exported", l[0]);
    assertEquals("hint: add --prometheus PORT or --otlp URL", l[1]);
    assertEquals("gotrace: --otlp-interval is how often --otlp pushes, and there is no --otlp",
        refused("latency", BIN, "main.handler", "--prometheus", "0", "--otlp-interval", "5s")[0]);
    assertEquals("gotrace: --prometheus and --otlp export calls, and --hist counts values",
        refused("funcs", BIN, "main.prepareAnswer", "--hist", "year", "--prometheus", "0")[0]);
  }

  @Test
  void aTakenPortIsOneLineBeforeTheProbesAttach() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String at = "127.0.0.1:" + taken.getLocalPort();
      String[] l = refused("latency", BIN, "main.prepareAnswer", "--prometheus", at);
      assertEquals("gotrace: --prometheus " + at + ": address in use", l[0]);
      assertEquals("hint: give another port, or --prometheus 0 for any free one", l[1]);
      l = refused("funcs", BIN, "main.prepareAnswer", "--prometheus", at);
      assertEquals("gotrace: --prometheus " + at + ": address in use", l[0]);
      l = refused("goroutines", BIN, "--prometheus", at);
      assertEquals("gotrace: --prometheus " + at + ": address in use", l[0]);
    }
  }

  @Test
  void anAddressOfAnotherHostCannotBeBound() {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host
    String[] l = refused("latency", BIN, "main.prepareAnswer", "--prometheus", "192.0.2.1:9464");
    assertEquals("gotrace: --prometheus 192.0.2.1:9464: cannot bind: cannot assign requested address"
        + " (not an address of this host?)", l[0]);
  }
}
