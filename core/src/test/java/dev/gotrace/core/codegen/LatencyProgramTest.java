package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.GAccess;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.probes.asm.Disassembler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of the latency programs (rewrite with {@code -Dgotrace.updateGolden=true} after
 * an intended change and review the diff). g.stack.hi is at offset 8 of runtime.g in every Go
 * version (g.stack is the first field, a runtime.stack{lo, hi}).
 */
class LatencyProgramTest {
  static LatencyPlan plan(GAccess g) {
    return new LatencyPlan(Path.of("/bin/workload"), g, 8, 152, List.of(new LatencyPlan.Function(0, "main.recurse",
        new LatencyPlan.Site(0x401010, 0x1010),
        List.of(new LatencyPlan.Exit(new LatencyPlan.Site(0x401080, 0x1080), ExitSite.Kind.RET)))), List.of());
  }

  @Test
  void registerAbi() throws IOException {
    GAccess g = new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow());
    String in = Disassembler.listing(LatencyProgram.entryProbe(plan(g), OptionalLong.empty()));
    String out = Disassembler.listing(LatencyProgram.exitProbe(plan(g), OptionalLong.empty()));
    FuncsProgramTest.golden("latency-entry-register-abi.txt", in);
    FuncsProgramTest.golden("latency-exit-register-abi.txt", out);
    assertTrue(!in.contains("get_current_task") && !out.contains("get_current_task"));
    assertTrue(out.contains("map_delete_elem"), out);
  }

  @Test
  void stackAbi() throws IOException {
    GAccess g = new GAccess.ThreadLocal(-8);
    String in = Disassembler.listing(LatencyProgram.entryProbe(plan(g), OptionalLong.of(3128)));
    String out = Disassembler.listing(LatencyProgram.exitProbe(plan(g), OptionalLong.of(3128)));
    FuncsProgramTest.golden("latency-entry-stack-abi.txt", in);
    FuncsProgramTest.golden("latency-exit-stack-abi.txt", out);
    assertTrue(in.contains("get_current_task") && out.contains("get_current_task"));
  }

  @Test
  void streamingExitProbe() throws IOException {
    GAccess g = new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow());
    String out = Disassembler.listing(LatencyProgram.exitProbe(plan(g), OptionalLong.empty(),
        OptionalLong.of(10_000_000), false, 8 << 20));
    FuncsProgramTest.golden("latency-exit-streaming.txt", out);
    assertTrue(out.contains("ringbuf_submit"), out);
    assertTrue(out.contains("ringbuf_query"), "the wake-up decided by the ring's fill: " + out);
    assertTrue(!Disassembler.listing(LatencyProgram.exitProbe(plan(g), OptionalLong.empty()))
        .contains("ringbuf"));
  }

  @Test
  void bySiteExitProbe() throws IOException {
    GAccess g = new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow());
    String out = Disassembler.listing(LatencyProgram.exitProbe(plan(g), OptionalLong.empty(), OptionalLong.empty(),
        true, 0));
    FuncsProgramTest.golden("latency-exit-by-site.txt", out);
    assertTrue(out.contains("map[sites]"), out);
  }

  @Test
  void threadLocalGNeedsTheFsbaseOffset() {
    assertThrows(IllegalArgumentException.class,
        () -> LatencyProgram.entryProbe(plan(new GAccess.ThreadLocal(-8)), OptionalLong.empty()));
  }
}
