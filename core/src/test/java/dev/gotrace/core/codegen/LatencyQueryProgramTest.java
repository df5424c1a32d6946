package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.query.Question;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The latency programs with {@code --where}/{@code --by}, planned from the matrix's servers (no
 * root): the entry decides before it stores, the exit keys the calls into the hash map and the
 * (other) row, and without a question the programs are exactly today's.
 */
class LatencyQueryProgramTest {
  static LatencyPlan plan(Path bin, String pattern, Optional<String> where, Optional<String> by) throws Exception {
    try (GoBinary b = GoBinary.open(bin)) {
      return new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse(pattern)),
          Optional.of(Question.parse(where, by, 64)), 1024);
    }
  }

  @Test
  void byYearKeysTheCallsAtTheExit() throws Exception {
    LatencyPlan p = plan(TestBinaries.get("go1.24", "amd64", "default", "server").path(), "main.prepareAnswer",
        Optional.empty(), Optional.of("year"));
    String in = Disassembler.listing(LatencyProgram.entryProbe(p, OptionalLong.empty()));
    String out = Disassembler.listing(LatencyProgram.exitProbe(p, OptionalLong.empty()));
    System.out.println(in);
    System.out.println(out);
    assertTrue(out.contains("bykey") && out.contains("byother"), out);
  }
}
