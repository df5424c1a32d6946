package dev.gotrace.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.abi.ParamLayout;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resolution of ints and bools in registers (Go 1.24, 1.27) and on the stack (Go 1.15), evaluated over recorded calls. */
class QueryPlannerTest {
  static Scope scope(TestBinary t, String function) throws Exception {
    try (GoBinary bin = GoBinary.open(t.path())) {
      GoFunc f = bin.function(function).orElseThrow();
      return Scopes.of(bin, f);
    }
  }

  static FunctionQuery where(Scope s, String text) {
    return QueryPlanner.plan(Question.parse(Optional.of(text), Optional.empty(), 64), s, true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void intsOfPrepareAnswerDecideAtTheEntry(String series) throws Exception {
    Scope s = scope(TestBinaries.get(series, "amd64", "default", "server"), "main.prepareAnswer");
    assertTrue(s.typed());
    FunctionQuery q = where(s, "year > 2020 && status == 200");
    assertTrue(q.entryFilter().isPresent());
    assertTrue(q.exitFilter().isEmpty());
    ParamLayout year = s.named("year").orElseThrow();
    ParamLayout status = s.named("status").orElseThrow();
    Recorded yes = new Recorded().putLong(year, 2021).putLong(status, 200);
    Recorded old = new Recorded().putLong(year, 2019).putLong(status, 200);
    Recorded down = new Recorded().putLong(year, 2021).putLong(status, 503);
    assertTrue(yes.evaluator(0).test(q.entryFilter().get()));
    assertFalse(old.evaluator(0).test(q.entryFilter().get()));
    assertFalse(down.evaluator(0).test(q.entryFilter().get()));
    // negative ints compare signed
    Recorded neg = new Recorded().putLong(year, -5).putLong(status, 200);
    assertTrue(neg.evaluator(0).test(where(s, "year < 0").entryFilter().get()));
    assertTrue(neg.evaluator(0).test(where(s, "arg1 == -5").entryFilter().get()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void scopesOfManyFunctionsReadDwarfOnce(String series) throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get(series, "amd64", "default", "server").path())) {
      java.util.List<GoFunc> fs = bin.functions(dev.gotrace.goelf.match.NamePattern.parse("main.*"));
      java.util.List<Scope> all = Scopes.of(bin, fs);
      assertEquals(fs.size(), all.size());
      for (int i = 0; i < fs.size(); i++) {
        assertEquals(Scopes.of(bin, fs.get(i)), all.get(i), fs.get(i).name());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void unknownNamesAndMismatchesAreRefusedWithTheColumn(String series) throws Exception {
    Scope s = scope(TestBinaries.get(series, "amd64", "default", "server"), "main.handler");
    QueryException e = assertThrows(QueryException.class, () -> where(s, "req.URL.Path == \"/\""));
    assertEquals("main.handler has no parameter req; it has w, r (column 1 of 'req.URL.Path == \"/\"')", e.getMessage());
    Scope p = scope(TestBinaries.get(series, "amd64", "default", "server"), "main.prepareAnswer");
    QueryException m = assertThrows(QueryException.class, () -> where(p, "year == 1 && name == 3"));
    assertEquals("cannot compare string name with int 3", m.problem());
    assertEquals(14, m.column());
  }
}
