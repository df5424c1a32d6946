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
 * Paths resolved against the DWARF of the matrix's server and workload, on the stack ABI (Go
 * 1.15) and the register ABI (1.24, 1.27): fields through pointers with their offsets, results,
 * and the refusals a user sees, one line with the column.
 */
class ResolutionTest {
  static Scope scope(String series, String program, String function) throws Exception {
    return QueryPlannerTest.scope(TestBinaries.get(series, "amd64", "default", program), function);
  }

  static FunctionQuery plan(Scope s, String where, String by, boolean exits) {
    return QueryPlanner.plan(Question.parse(Optional.ofNullable(where), Optional.ofNullable(by), 64), s, exits);
  }

  static QueryException refused(Scope s, String where, boolean exits) {
    return assertThrows(QueryException.class, () -> plan(s, where, null, exits));
  }

  static Access access(Scope s, String path) {
    Cond c = QueryPlanner.typed(Question.parse(Optional.of(path + " != nil"), Optional.empty(), 64), s, true);
    return ((Cond.IsNil) c).access();
  }

  static Access stringAccess(Scope s, String path) {
    Cond c = QueryPlanner.typed(Question.parse(Optional.of(path + " == \"\""), Optional.empty(), 64), s, true);
    return ((Cond.StrCompare) c).string();
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void requestFieldsThroughPointers(String series) throws Exception {
    Scope s = scope(series, "server", "main.handler");
    Access path = stringAccess(s, "r.URL.Path");
    assertEquals("r", path.root().name());
    assertEquals(2, path.hops().size(), "r, then URL: two pointer reads");
    Access method = stringAccess(s, "r.Method");
    assertEquals(1, method.hops().size());
    assertEquals(0L, method.hops().get(0), "Method is the first field of http.Request");
    assertEquals("*url.URL", access(s, "r.URL").goType());
    FunctionQuery q = plan(s, "r.Method == \"GET\" && hasPrefix(r.URL.Path, \"/api\")", "r.URL.Path", false);
    assertTrue(q.entryFilter().isPresent());
    assertEquals(KeyPart.Kind.STRING, q.keys().parts().get(0).kind());
    assertEquals(8 + 8 + 64, q.keys().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void refusalsNameTheProblemAndTheColumn(String series) throws Exception {
    Scope h = scope(series, "server", "main.handler");
    assertEquals("main.handler has no parameter req; it has w, r (column 1 of 'req.URL.Path == \"/\"')",
        refused(h, "req.URL.Path == \"/\"", true).getMessage());
    QueryException url = refused(h, "len(r.Url.Path) > 1", true);
    assertEquals("*http.Request has no field Url; did you mean URL?", url.problem());
    assertEquals(5, url.column());
    assertEquals("cannot compare string r.Method with int 3", refused(h, "r.Method == 3", true).problem());
    assertEquals("r.Method is string, which has no field Len", refused(h, "r.Method.Len == 3", true).problem());
    Scope p = scope(series, "server", "main.prepareAnswer");
    QueryException overflow = refused(p, "year > 1 && year < 9223372036854775808", true);
    assertEquals("the constant 9223372036854775808 overflows int year", overflow.problem());
    assertEquals(20, overflow.column());
    QueryException result = refused(p, "ret0 == \"x\"", false);
    assertTrue(result.problem().startsWith("ret0 of main.prepareAnswer is known only when it returns"), result.problem());
    assertEquals("main.prepareAnswer has 3 arguments (arg0 name, arg1 year, arg2 status); no arg7",
        refused(p, "arg7 == 1", true).problem());
    assertEquals("arg1 of main.prepareAnswer is year int, not string", refused(p, "arg1:string == \"\"", true).problem());
    assertEquals("bools compare only with == and !=", refused(scope(series, "workload", "main.withBool"), "b < true", true).problem());
    QueryException notCond = refused(p, "year && name == \"x\"", true);
    assertEquals("int year is not a condition (compare it: year == …)", notCond.problem());
    QueryException nilCmp = refused(p, "name == nil", true);
    assertEquals("cannot compare string name with nil", nilCmp.problem());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void resultsDecideAtTheExitWithTheEntryCaptured(String series) throws Exception {
    Scope s = scope(series, "workload", "main.multiResult");
    assertEquals(3, s.results().size());
    FunctionQuery q = plan(s, "a > 1 && ret0 > 2 && (a < 100 || ret1 == \"xx\") && ret2 == nil", "ret1, a", true);
    assertTrue(q.entryFilter().isPresent(), "a > 1 decides at the entry");
    assertTrue(q.exitFilter().isPresent());
    assertEquals(1, q.captures().size(), "a < 100 is saved at the entry for the exit");
    assertTrue(q.keys().parts().get(0).atExit());
    assertFalse(q.keys().parts().get(1).atExit());
    QueryException mixed = assertThrows(QueryException.class, () -> plan(s, null, "ret0 > a", true));
    assertTrue(mixed.problem().contains("mixes arguments and results"), mixed.problem());
    assertEquals(1, mixed.column());
    Scope e = scope(series, "workload", "main.withError");
    FunctionQuery err = plan(e, "fail && ret0 != nil", "ret0 != nil", true);
    assertTrue(err.exitFilter().isPresent());
    assertEquals(KeyPart.Kind.BOOL, err.keys().parts().get(0).kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void aFieldThroughAPointerIsReadAtItsOffset(String series) throws Exception {
    Scope s = scope(series, "workload", "main.withPointer");
    Access x = ((TExpr.Load) ((Cond.Compare) QueryPlanner.typed(
        Question.parse(Optional.of("p.X > 2"), Optional.empty(), 64), s, true)).left()).access();
    Access y = ((TExpr.Load) ((Cond.Compare) QueryPlanner.typed(
        Question.parse(Optional.of("p.Y > 2"), Optional.empty(), 64), s, true)).left()).access();
    assertEquals(1, x.hops().size());
    assertEquals(x.hops().get(0) + 8, y.hops().get(0), "Point{X, Y int}: Y 8 bytes after X");
    // evaluated over a recorded call: p points at {X: 5, Y: -1}
    Recorded c = new Recorded();
    long at = c.alloc(Recorded.concat(Recorded.le(5, 8), Recorded.le(-1, 8)));
    ParamLayout p = s.named("p").orElseThrow();
    c.putLong(p, at);
    FunctionQuery q = plan(s, "p.X == 5 && p.Y < 0 && p != nil", "p.X", true);
    assertEquals(Differential.evaluator(q, c), Differential.vm(q, c));
    assertTrue(Differential.evaluator(q, c).entry());
    assertEquals("5", q.keys().decode(Differential.vm(q, c).stackKey()).get(0).text());
    c = new Recorded();
    c.putLong(p, 0);
    assertFalse(Differential.vm(q, c).entry(), "through a nil pointer: false");
    assertEquals("(unreadable)", q.keys().decode(Differential.vm(q, c).stackKey()).get(0).text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.24", "go1.27"})
  void aFloatInARegisterIsRefused(String series) throws Exception {
    Scope s = scope(series, "workload", "main.withFloat");
    QueryException e = refused(s, "x > 1.5", true);
    assertTrue(e.problem().startsWith("x is in the floating-point register"), e.problem());
    assertTrue(e.problem().endsWith("which a uprobe cannot read"), e.problem());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15"})
  void aFloatOnTheStackCompares(String series) throws Exception {
    Scope s = scope(series, "workload", "main.withFloat");
    FunctionQuery q = plan(s, "x > 1.5", null, true);
    Recorded c = new Recorded().putLong(s.named("x").orElseThrow(), Double.doubleToRawLongBits(2.25));
    assertTrue(Differential.vm(q, c).entry());
    c = new Recorded().putLong(s.named("x").orElseThrow(), Double.doubleToRawLongBits(Double.NaN));
    assertFalse(Differential.vm(q, c).entry());
  }

  @ParameterizedTest
  @ValueSource(strings = {"go1.15", "go1.24", "go1.27"})
  void tooDeepPathsAreRefused(String series) throws Exception {
    Scope s = scope(series, "server", "main.handler");
    // r.Response.Request.Response.Request...: each step a pointer read
    String path = "r" + ".Response.Request".repeat(5) + ".Method";
    QueryException e = refused(s, path + " == \"GET\"", true);
    assertEquals(path + " reads more than 8 pointers (too deep)", e.problem());
    assertEquals(1, e.column());
  }
}
