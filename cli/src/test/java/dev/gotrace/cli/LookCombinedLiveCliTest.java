package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The features of "looking anywhere" together, as root, on testdata's {@code look}: one record
 * then carries the stack id and the {@code --show} values side by side (funcs), and a line probe
 * takes a stack and a package variable (args). Each must decode as it does alone.
 */
class LookCombinedLiveCliTest {
  static final int ROUNDS = 2;

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.27"})
  @SuppressWarnings("unchecked")
  void funcsWithStackAndShowGivesEachCallBoth(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = StackLiveCliTest.look(series);
    CliRun r = CliRun.of("funcs", "main.leaf", "--stack", "--show", "main.requests,main.cfg.Mode", "--json", "--",
        t.path().toString(), "-n", "" + ROUNDS, "-handles", "3");
    assertEquals(0, r.exitCode(), r.err());
    List<Map<String, Object>> events = StackLiveCliTest.objects(r.out());
    assertEquals(15 * ROUNDS, events.size(), r.out());
    Map<String, Long> perRequests = new TreeMap<>();
    for (Map<String, Object> e : events) {
      Map<String, Object> shown = (Map<String, Object>) e.get("shown");
      assertEquals("\"steady\"", shown.get("main.cfg.Mode"), e.toString());
      perRequests.merge((String) shown.get("main.requests"), 1L, Long::sum);
    }
    // main.leaf runs after main.handle in each round: 3 requests by then in round 1, 6 in round 2
    assertEquals(Map.of("3", 15L, "6", 15L), perRequests);
    Map<String, Long> seen = StackLiveCliTest.count(events);
    assertEquals(StackLiveCliTest.expectedChains(t, StackLiveCliTest.leafLine(t, seen)), seen);
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.27"})
  void aLineWithStackAndShowPrintsTheLocalsTheVariableAndTheCallers(String series) throws Exception {
    TestBinaries.requireRoot();
    TestBinary t = StackLiveCliTest.look(series);
    int body = StackLiveCliTest.line(t, "acc += step(i) // LOOP-BODY");
    CliRun r = CliRun.of("args", "main.go:" + body, "--stack=3", "--show", "main.cfg.Mode", "--",
        t.path().toString(), "-n", "1", "-iters", "4");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = List.of(r.out().split("\n"));
    int hits = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.contains(" main.go:" + body + " main.loop:")) {
        continue;
      }
      Matcher iv = Pattern.compile(" i=(\\d+) ").matcher(l);
      assertTrue(iv.find(), l);
      assertEquals(hits, Integer.parseInt(iv.group(1)), l);
      assertTrue(l.endsWith(" main.cfg.Mode=\"steady\""), l);
      assertEquals("    main.loop (main.go:" + body + ")", lines.get(i + 1), r.out());
      assertEquals("    main.round (main.go:" + StackLiveCliTest.line(t, "sink += loop(*iters)") + ")", lines.get(i + 2));
      assertEquals("    main.main (main.go:" + StackLiveCliTest.line(t, "round()") + ")", lines.get(i + 3));
      assertEquals("    ... stack cut at depth 3 (--stack=N for more)", lines.get(i + 4));
      hits++;
    }
    assertEquals(4, hits, r.out());
  }
}
