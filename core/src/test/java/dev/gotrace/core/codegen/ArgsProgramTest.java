package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.ArgsPlan;
import dev.gotrace.core.plan.ArgsPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.plan.RecordLayout;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of the args program for prepareAnswer in both ABIs (registers: three register
 * loads and one bounded string copy; stack: reads from SP), and the record layouts behind them.
 * Rewrite with {@code -Dgotrace.updateGolden=true} after an intended change and review the diff.
 */
class ArgsProgramTest {
  static ArgsPlan plan(Path bin, String fn) throws Exception {
    try (GoBinary b = GoBinary.open(bin)) {
      return new ArgsPlanner(new Planner(Arch.AMD64, Planner.DEFAULT_MAX_SITES), ArgsPlanner.DEFAULT_STRSIZE)
          .plan(b, List.of(NamePattern.parse(fn)));
    }
  }

  @Test
  void registerAbiPrepareAnswer() throws Exception {
    ArgsPlan p = plan(TestBinaries.get("go1.24", "amd64", "default", "server").path(), "main.prepareAnswer");
    RecordLayout entry = p.blocks().get(0).layout();
    // header 64, name 16, year 8, status 8, then the string buffer: status word + 64 bytes.
    assertEquals(64 + 16 + 8 + 8 + 8 + 64, entry.size());
    assertEquals(List.of(new RecordLayout.Buffer(64, 72, 1, 64, 96)), entry.buffers());
    String listing = Disassembler.listing(ArgsProgram.generate(p, OptionalLong.empty(), 8 << 20));
    FuncsProgramTest.golden("args-register-abi.txt", listing);
    assertTrue(!listing.contains("get_current_task"), listing);
  }

  @Test
  void thousandsOfFunctionsKeepEveryJumpInRange() throws Exception {
    ArgsPlan p;
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      p = new ArgsPlanner(new Planner(Arch.AMD64, 10_000), 64, false)
          .plan(b, List.of(NamePattern.parse("net/http.*")));
    }
    assertTrue(p.functions().size() > 1000, "functions: " + p.functions().size());
    // Encoding resolves every label; an offset beyond 16 bits would throw.
    assertTrue(ArgsProgram.generate(p, OptionalLong.empty(), 8 << 20).encodeForListing().slots() > 100_000);
  }

  @Test
  void inlinedCopiesCountAgainstTheLimit() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "workload").path())) {
      ArgsPlanner planner = new ArgsPlanner(new Planner(Arch.AMD64, 10), 64, false);
      dev.gotrace.core.plan.PlanException e = org.junit.jupiter.api.Assertions.assertThrows(
          dev.gotrace.core.plan.PlanException.class, () -> planner.plan(b, List.of(NamePattern.parse("main.newCounter"),
              NamePattern.parse("main.main"))));
      int copies = b.inlinedCopies("main.newCounter").size(); // one per counter of the workload
      assertTrue(copies > 20, String.valueOf(copies));
      // main.main's entry, its exits, and one probe per copy; on 2 functions (main.main, main.newCounter)
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "the patterns need (\\d+) probes on 2 functions, more than the limit of 10 probes").matcher(e.getMessage());
      assertTrue(m.matches(), e.getMessage());
      int exits = b.tracedSites(b.functionsNamed("main.main").get(0)).exits().size();
      assertEquals(1 + exits + copies, Integer.parseInt(m.group(1)), e.getMessage());
    }
  }

  @Test
  void stackAbiPrepareAnswer() throws Exception {
    ArgsPlan p = plan(TestBinaries.get("go1.15", "amd64", "default", "server").path(), "main.prepareAnswer");
    String listing = Disassembler.listing(ArgsProgram.generate(p, OptionalLong.of(3128), 8 << 20));
    FuncsProgramTest.golden("args-stack-abi.txt", listing);
    assertTrue(listing.contains("get_current_task"), listing);
    assertEquals(ArgsPlan.Kind.ENTRY, p.block(p.sites().get(0).cookie()).kind());
    assertTrue(p.sites().stream().skip(1).allMatch(s -> p.block(s.cookie()).kind() != ArgsPlan.Kind.ENTRY));
  }
}
