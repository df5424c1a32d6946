package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code gotrace top} with stdout not a terminal, as root: plain tables with the calls the server made. */
class TopPlainLiveCliTest {
  @Test
  void plainTablesCountEveryCallOfTheServer() throws Exception {
    TestBinaries.requireRoot();
    Path bin = TestBinaries.demoServer();
    GoServer server = GoServer.start(bin);
    try {
      String base = server.base();
      FuncsLiveCliTest.Running g = FuncsLiveCliTest.Running.start("top", bin.toString(), "main.*", "-p",
          Long.toString(server.pid()), "--interval", "500ms", "--count", "20", "--duration", "60s");
      g.awaitAttached();
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 4; i++) {
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/?name=top&year=2021")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
      }
      assertEquals(0, g.exit().get(30, TimeUnit.SECONDS), g.err().toString());
      String out = g.out().toString();
      String[] tables = out.split("\n\n");
      String last = tables[tables.length - 1];
      List<String> lines = last.lines().toList();
      assertTrue(lines.get(0).startsWith("gotrace top  " + bin + " (pid " + server.pid() + ")"), last);
      assertTrue(lines.get(1).matches("go1\\.24\\.4  16 probes  events 20  drops 0  \\d+\\.\\d s"), last);
      assertEquals("FUNCTION                CALLS/S      CALLS      MEAN       P50       P99       MAX  INFLIGHT",
          lines.get(2));
      for (String fn : List.of("main.checkSite", "main.checkSite.func1", "main.handler", "main.ping",
          "main.prepareAnswer")) {
        assertTrue(lines.stream().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(fn)
            + " +\\d+\\.\\d +4 +\\S+ +~\\S+ +~\\S+ +\\S+ +0")), fn + " called 4 times:\n" + last);
      }
      assertTrue(lines.stream().anyMatch(l -> l.matches("main\\.handler +(?!0\\.0 ).*")),
          "the last table's rate covers the calls since the one before: " + last);
      // main.main (entered before the probes, never returns) and the others without calls are
      // counted in the last line, not listed
      assertTrue(lines.stream().noneMatch(l -> l.matches("\\S+ +0\\.0 +0 +- +- +- +- +0")), last);
      assertTrue(lines.get(lines.size() - 1).matches("… \\d+ functions? with no calls not shown \\(--all shows them\\)"),
          last);
    } finally {
      server.close();
    }
  }
}
