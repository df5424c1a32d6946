package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.LatencyPlan;
import dev.gotrace.core.plan.LatencyPlanner;
import dev.gotrace.core.plan.Planner;
import dev.gotrace.core.query.QueryException;
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
    // year is a parameter: keyed at the entry into the in-flight value, the exit only copies it
    assertTrue(in.contains("r6 +88"), "year (RBX) read from pt_regs at the entry: " + in);
    assertTrue(!out.contains("r6 +88"), out);
    assertTrue(out.contains("map[bykey]") && out.contains("map[byother]") && out.contains("map[byzero]"), out);
    assertTrue(!in.contains("bykey"), in);
    assertEquals(40, p.query().orElseThrow().inflightValueSize(), "{ktime, fn, captured, key of 16}");
  }

  @Test
  void aConditionOnParametersRejectsAtTheEntryAndUnmatchedExitsAreNotCounted() throws Exception {
    LatencyPlan p = plan(TestBinaries.get("go1.24", "amd64", "default", "server").path(), "main.prepareAnswer",
        Optional.of("year >= 2021"), Optional.empty());
    String in = Disassembler.listing(LatencyProgram.entryProbe(p, OptionalLong.empty()));
    String out = Disassembler.listing(LatencyProgram.exitProbe(p, OptionalLong.empty()));
    // the test comes before the in-flight table is touched
    assertTrue(in.indexOf("r6 +88") < in.indexOf("map[inflight]"), in);
    assertTrue(!out.contains("bykey"), out);
    assertTrue(!out.contains("(r0 +24) += r1"), "no UNMATCHED add (stats slot 3): " + out);
    assertTrue(p.notes().stream().anyMatch(n -> n instanceof dev.gotrace.core.plan.Note.EntryFilteredExits), p.notes()
        .toString());
  }

  @Test
  void withoutAQuestionTheProgramsAreTodays() throws Exception {
    Path bin = TestBinaries.get("go1.24", "amd64", "default", "server").path();
    try (GoBinary b = GoBinary.open(bin)) {
      LatencyPlan plain = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")));
      LatencyPlan empty = new LatencyPlanner(Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.*")),
          Optional.empty(), 1024);
      assertEquals(Disassembler.listing(LatencyProgram.entryProbe(plain, OptionalLong.empty())),
          Disassembler.listing(LatencyProgram.entryProbe(empty, OptionalLong.empty())));
      assertEquals(Disassembler.listing(LatencyProgram.exitProbe(plain, OptionalLong.empty())),
          Disassembler.listing(LatencyProgram.exitProbe(empty, OptionalLong.empty())));
      assertEquals(plain.exitProbes(), empty.exitProbes());
    }
  }

  @Test
  void twoFunctionsWithDifferentKeysAreTwoGroupsDispatchedByTheCookie() throws Exception {
    LatencyPlan p = plan(TestBinaries.get("go1.24", "amd64", "default", "server").path(), "re:^main\\.(prepareAnswer|checkSite)$",
        Optional.empty(), Optional.of("ret0"));
    assertEquals(2, p.query().orElseThrow().groups().size());
    // a string key: 8 header + 8 length + 64 bytes
    assertEquals(80, p.query().get().keySize());
    String out = Disassembler.listing(LatencyProgram.exitProbe(p, OptionalLong.empty()));
    assertTrue(out.contains(">>= 56"), out);
    assertTrue(p.exitProbes().stream().anyMatch(x -> x.cookie() >>> LatencyPlan.GROUP_SHIFT == 1), p.exitProbes()
        .toString());
  }

  /** At a tail jump the results are the callee's, not yet computed: a question on them is refused at plan time. */
  @Test
  void aResultOfAFunctionWithATailJumpIsRefused() {
    QueryException e = assertThrows(QueryException.class, () -> plan(TestBinaries.get("go1.24", "amd64", "default",
        "server").path(), "internal/abi.(*FuncType).NumMethod", Optional.empty(), Optional.of("ret0")));
    assertTrue(e.getMessage().matches("internal/abi\\.\\(\\*FuncType\\)\\.NumMethod leaves through a tail call at 0x[0-9a-f]+,"
        + " where its results are not yet computed: a question on its results cannot be answered \\(column 1 of 'ret0'\\)"),
        e.getMessage());
    // its parameters are fine
    assertEquals(1, assertDoesNotThrow(() -> plan(TestBinaries.get("go1.24", "amd64", "default", "server").path(),
        "internal/abi.(*FuncType).NumMethod", Optional.of("arg0 != nil"), Optional.empty())).functions().size());
  }
}
