package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.query.Cond;
import dev.gotrace.core.query.QueryException;
import dev.gotrace.core.query.Question;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The --where of funcs and args compiled per traced function of real plans, in groups. */
class EntryQueryTest {
  private static Question where(String text) {
    return Question.parse(Optional.of(text), Optional.empty(), Question.DEFAULT_KEY_BYTES);
  }

  private static ProbePlan plan(GoBinary bin, String... patterns) throws Exception {
    return new Planner(Planner.DEFAULT_MAX_SITES).plan(bin, List.of(patterns).stream().map(NamePattern::parse).toList());
  }

  @Test
  void functionsWithTheSameParameterShareAGroupAndConstantsFoldAway() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "server").path())) {
      // main.handler and main.ping are both (w http.ResponseWriter, r *http.Request).
      ProbePlan p = plan(bin, "main.handler", "main.ping");
      EntryQuery q = EntryQuery.compile(where("r.Method == \"POST\" && !false"), EntryQuery.scopes(bin, p));
      assertEquals(1, q.groups().size(), "one copy of the code for both: " + q.groups());
      assertEquals(List.of(0, 0), q.groupOf());
      assertTrue(q.windowBytes() >= 40 + 8, "the window holds the 4-byte literal: " + q.windowBytes());

      EntryQuery always = EntryQuery.compile(where("true || r == nil"), EntryQuery.scopes(bin, p));
      assertEquals(List.of(), always.groups(), "a condition that always holds is no code");
      assertEquals(List.of(-1, -1), always.groupOf());
      EntryQuery never = EntryQuery.compile(where("!true && r != nil"), EntryQuery.scopes(bin, p));
      assertEquals(List.of(new Cond.Truth(false)), never.groups());
    }
  }

  @Test
  void aFunctionWithoutTheNamedParameterRefusesThePlanByName() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.get("go1.24", "amd64", "default", "server").path())) {
      ProbePlan p = plan(bin, "main.prepareAnswer", "main.handler");
      QueryException e = assertThrows(QueryException.class,
          () -> EntryQuery.compile(where("year >= 2021"), EntryQuery.scopes(bin, p)));
      assertEquals("main.handler has no parameter year; it has w, r", e.problem());
      assertEquals(1, e.column());
    }
  }

  @Test
  void foldKeepsWhatCanVary() {
    Cond x = new Cond.Captured(0);
    assertEquals(x, EntryQuery.fold(new Cond.And(new Cond.Not(new Cond.Truth(false)), x)));
    assertEquals(new Cond.Truth(true), EntryQuery.fold(new Cond.Or(x, new Cond.Not(new Cond.Truth(false)))));
    assertEquals(new Cond.Truth(false), EntryQuery.fold(new Cond.And(x, new Cond.Or(new Cond.Truth(false),
        new Cond.Truth(false)))));
    assertEquals(new Cond.Not(x), EntryQuery.fold(new Cond.Not(new Cond.Or(new Cond.Truth(false), x))));
  }
}
