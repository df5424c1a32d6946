package dev.gotrace.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stripped binaries: positional typed roots are placed by the ABI from the pclntab alone, at
 * the places DWARF gives in the unstripped twin; named access needs DWARF and says so.
 */
class StrippedTest {
  static FunctionQuery plan(Scope s, String where, String by) {
    return QueryPlanner.plan(Question.parse(Optional.ofNullable(where), Optional.ofNullable(by), 64), s, true);
  }

  static ParamLayout root(Scope s, String path) {
    Cond c = QueryPlanner.typed(Question.parse(Optional.of(path + " == 0"), Optional.empty(), 64), s, true);
    return ((TExpr.Load) ((Cond.Compare) c).left()).access().root();
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.19", "go1.22", "go1.24", "go1.27"})
  void positionalRootsSitWhereDwarfSaysInTheTwin(String series) throws Exception {
    TestBinary stripped = TestBinaries.get(series, "amd64", "stripped", "server");
    Scope s = QueryPlannerTest.scope(stripped, "main.prepareAnswer");
    Scope twin = QueryPlannerTest.scope(TestBinaries.twin(stripped), "main.prepareAnswer");
    assertFalse(s.typed());
    assertEquals(twin.named("year").orElseThrow().pieces(), root(s, "arg1:int").pieces());
    assertEquals(twin.named("status").orElseThrow().pieces(), root(s, "arg2:int").pieces());
    Cond c = QueryPlanner.typed(Question.parse(Optional.of("arg0:string == \"x\""), Optional.empty(), 64), s, true);
    assertEquals(twin.named("name").orElseThrow().pieces(), ((Cond.StrCompare) c).string().root().pieces());
    // evaluated: year 2021 where the twin's DWARF puts year
    FunctionQuery q = plan(s, "arg1:int > 2020 && arg0:string == \"GopherCon\"", "arg2:int");
    Recorded call = new Recorded();
    call.putLong(twin.named("year").orElseThrow(), 2021).putLong(twin.named("status").orElseThrow(), 200)
        .put(twin.named("name").orElseThrow(), call.string("GopherCon"));
    Differential.Answer a = Differential.vm(q, call);
    assertEquals(Differential.evaluator(q, call), a);
    assertTrue(a.entry());
    assertEquals("200", q.keys().decode(a.stackKey()).get(0).text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24"})
  void namedAccessNeedsDwarf(String series) throws Exception {
    Scope s = QueryPlannerTest.scope(TestBinaries.get(series, "amd64", "stripped", "server"), "main.prepareAnswer");
    QueryException e = assertThrows(QueryException.class, () -> plan(s, "year > 2020", null));
    assertEquals("year: a named access needs DWARF, which main.prepareAnswer's binary has not", e.problem());
    assertEquals(Optional.of("use a positional typed root like arg1:int"), e.hint());
    QueryException untyped = assertThrows(QueryException.class, () -> plan(s, "arg1 > 2020", null));
    assertEquals("arg1 needs a type without DWARF", untyped.problem());
    QueryException global = assertThrows(QueryException.class, () -> plan(s, "main.requests > 0", null));
    assertEquals("main: a named access needs DWARF, which main.prepareAnswer's binary has not (package variables too)",
        global.problem());
    assertTrue(global.hint().orElseThrow().contains("without -s -w"), global.hint().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.24", "go1.27"})
  void aTypeThatDisagreesWithThePclntabIsRefused(String series) throws Exception {
    Scope s = QueryPlannerTest.scope(TestBinaries.get(series, "amd64", "stripped", "server"), "main.prepareAnswer");
    QueryException e = assertThrows(QueryException.class, () -> plan(s, "arg0:int > 1", null));
    assertEquals("arg0 of main.prepareAnswer is 2 words of 8+8 bytes in the pclntab, not int (8)", e.problem());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15"})
  void theStackAbiPlacesOnlyArg0WithoutDwarf(String series) throws Exception {
    TestBinary stripped = TestBinaries.get(series, "amd64", "stripped", "server");
    Scope s = QueryPlannerTest.scope(stripped, "main.prepareAnswer");
    Scope twin = QueryPlannerTest.scope(TestBinaries.twin(stripped), "main.prepareAnswer");
    Cond c = QueryPlanner.typed(Question.parse(Optional.of("arg0:string == \"x\""), Optional.empty(), 64), s, true);
    assertEquals(twin.named("name").orElseThrow().describe(), ((Cond.StrCompare) c).string().root().describe());
    QueryException e = assertThrows(QueryException.class, () -> plan(s, "arg1:int > 2020", null));
    assertTrue(e.problem().startsWith("arg1 cannot be placed without DWARF: without DWARF the stack ABI"), e.problem());
  }
}
