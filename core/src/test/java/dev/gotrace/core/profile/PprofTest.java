package dev.gotrace.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pprof writer against the Go toolchain's own reader: {@code go tool pprof -top} of the cached Go 1.27. */
class PprofTest {
  @TempDir Path tmp;

  private Path write(StackProfile p, Weight defaultType) throws Exception {
    Path file = tmp.resolve("p.pb.gz");
    try (OutputStream out = Files.newOutputStream(file)) {
      Pprof.write(p, new Pprof.Meta("/srv/look", 1_700_000_000_000_000_000L, 2_000_000_000L,
          "gotrace latency look main.leaf --stacks", defaultType), out);
    }
    return file;
  }

  @Test
  void goToolPprofReadsTheCallsBackFlatOnTheLeafCumulativeOnEachChain() throws Exception {
    Path file = write(Chains.look(3), Weight.TIME);
    Map<String, PprofTop.Row> top = PprofTop.run(file, "calls");
    assertEquals(new PprofTop.Row(45, 45), top.get("main.leaf"), top.toString());
    assertEquals(new PprofTop.Row(0, 9), top.get("main.chainA"));
    assertEquals(new PprofTop.Row(0, 15), top.get("main.chainB"));
    assertEquals(new PprofTop.Row(0, 15), top.get("main.mid"));
    assertEquals(new PprofTop.Row(0, 21), top.get("main.chainC"));
    // pprof names an inlined call's frame "(inline)"
    assertEquals(new PprofTop.Row(0, 21), top.get("main.wrap (inline)"), top.toString());
    assertEquals(new PprofTop.Row(0, 45), top.get("main.round"));
    assertEquals(new PprofTop.Row(0, 45), top.get("runtime.main"));
  }

  @Test
  void goToolPprofReadsTheTimeBackInNanoseconds() throws Exception {
    Path file = write(Chains.look(1), Weight.CALLS);
    Map<String, PprofTop.Row> top = PprofTop.run(file, "time");
    assertEquals(new PprofTop.Row(34000, 34000), top.get("main.leaf"), top.toString());
    assertEquals(new PprofTop.Row(0, 21000), top.get("main.chainC"));
    assertEquals(new PprofTop.Row(0, 10000), top.get("main.mid"));
  }

  @Test
  void theDefaultSampleTypeIsTheOneAsked() throws Exception {
    String calls = PprofTop.raw(write(Chains.look(1), Weight.CALLS), null);
    assertTrue(calls.contains("Type: calls\n"), calls);
    String time = PprofTop.raw(write(Chains.look(1), Weight.TIME), null);
    assertTrue(time.contains("Type: time\n"), time);
  }

  @Test
  void anInlinedCallIsAnExtraLineOfItsCallersLocation() {
    StackProfile p = Chains.look(1);
    var groups = Pprof.machineFrames(p.samples().get(2));
    assertEquals("main.wrap", groups.get(1).get(0).function());
    assertEquals("main.chainC", groups.get(1).get(1).function());
    assertEquals(5, groups.size()); // leaf, wrap+chainC, round, main, runtime.main
  }
}
