package dev.gotrace.core.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.expr.Expr.CompareOp;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The --where / --by grammar: trees for what users write, one-line refusals with the column for the rest. */
class ExprParserTest {
  private static Expr.Path path(int at, String root, String... fields) {
    return new Expr.Path(at, root, List.of(fields), Optional.empty());
  }

  @Test
  void comparisonsOfPathsAndLiterals() {
    assertEquals(new Expr.Compare(0, CompareOp.GT, path(0, "year"), new Expr.IntLit(7, 2020, false)),
        ExprParser.parse("year > 2020"));
    assertEquals(new Expr.Compare(0, CompareOp.EQ, path(0, "req", "URL", "Path"), new Expr.StringLit(16, "/api")),
        ExprParser.parse("req.URL.Path == \"/api\""));
    assertEquals(new Expr.Compare(0, CompareOp.NE, path(0, "err"), new Expr.Nil(7)), ExprParser.parse("err != nil"));
    assertEquals(new Expr.Compare(0, CompareOp.LE, path(0, "ratio"), new Expr.FloatLit(9, 1.5)),
        ExprParser.parse("ratio <= 1.5"));
    assertEquals(new Expr.Compare(0, CompareOp.GE, path(0, "delta"), new Expr.IntLit(9, -3, false)),
        ExprParser.parse("delta >= -3"));
    assertEquals(new Expr.Compare(0, CompareOp.EQ, path(0, "mask"), new Expr.IntLit(8, 0x1f, false)),
        ExprParser.parse("mask == 0x1f"));
    assertEquals(new Expr.Compare(0, CompareOp.EQ, path(0, "id"), new Expr.IntLit(6, -1L, true)),
        ExprParser.parse("id == 18446744073709551615"), "2^64 - 1 as an unsigned literal");
    assertEquals(new Expr.Compare(0, CompareOp.EQ, path(0, "ok"), new Expr.BoolLit(6, true)),
        ExprParser.parse("ok == true"));
  }

  @Test
  void positionalArgumentsAndResultsWithTypes() {
    Expr.Path p = (Expr.Path) ((Expr.Compare) ExprParser.parse("arg1:int > 2020")).left();
    assertEquals(new Expr.Path(0, "arg1", List.of(), Optional.of("int")), p);
    assertEquals(Optional.of(1), p.position());
    Expr.Path r = (Expr.Path) ExprParser.parse("ret0");
    assertTrue(r.result());
    assertEquals(Optional.empty(), path(0, "argument").position());
    assertEquals(Optional.empty(), path(0, "arg01").position());
  }

  @Test
  void precedenceIsGos() {
    // || looser than &&, && looser than comparisons, ! tighter than a comparison
    Expr e = ExprParser.parse("a == 1 || b == 2 && !c");
    Expr.Logical or = (Expr.Logical) e;
    assertTrue(!or.and());
    Expr.Logical and = (Expr.Logical) or.right();
    assertTrue(and.and());
    assertEquals(new Expr.Not(20, path(21, "c")), and.right());
    assertEquals(new Expr.Compare(0, CompareOp.EQ, new Expr.Not(0, path(1, "ok")), path(7, "done")),
        ExprParser.parse("!ok == done"));
    Expr grouped = ExprParser.parse("(a || b) && c");
    assertTrue(grouped instanceof Expr.Logical l && l.and() && l.left() instanceof Expr.Logical inner && !inner.and());
  }

  @Test
  void callsAndStrings() {
    assertEquals(new Expr.Compare(0, CompareOp.GT, new Expr.Call(0, Expr.Function.LEN, List.of(path(4, "name"))),
        new Expr.IntLit(12, 3, false)), ExprParser.parse("len(name) > 3"));
    assertEquals(new Expr.Call(0, Expr.Function.HAS_PREFIX, List.of(path(10, "r", "Method"),
        new Expr.StringLit(20, "PO"))), ExprParser.parse("hasPrefix(r.Method, \"PO\")"));
    assertEquals(new Expr.StringLit(0, "a\"b\\\n\t"), ExprParser.parse("\"a\\\"b\\\\\\n\\t\""));
    assertEquals(new Expr.StringLit(0, "C:\\raw"), ExprParser.parse("`C:\\raw`"));
  }

  @Test
  void byListsKeepEachItemsText() {
    List<ExprParser.Item> items = ExprParser.parseList(" year , err != nil,hasSuffix(path, \",x\")");
    assertEquals(List.of("year", "err != nil", "hasSuffix(path, \",x\")"),
        items.stream().map(ExprParser.Item::text).toList());
    assertEquals(path(1, "year"), items.get(0).expr());
  }

  /** Each refusal: the problem and the column (1-based) a user would be pointed to. */
  @Test
  void refusalsNameTheColumn() {
    refused("year >", 7, "expected a value");
    refused("year = 2020", 6, "'=' is not a comparison (write ==)");
    refused("a < b < c", 7, "comparisons do not chain (join them with &&)");
    refused("(a || b", 8, "expected ')' for the '(' at column 1");
    refused("name == \"abc", 9, "the string has no closing \"");
    refused("name == \"a\\qb\"", 11, "unknown escape \\q");
    refused("size(x) > 1", 1, "no function size (there are len, hasPrefix and hasSuffix)");
    refused("len(a, b)", 1, "len takes 1 argument, not 2");
    refused("hasPrefix(a)", 1, "hasPrefix takes 2 arguments, not 1");
    refused("name:int == 1", 5, "only a positional argN or retN takes a type (arg1:int)");
    refused("arg1:integer > 1", 6, "expected a type: one of bool, byte, float32");
    refused("req. == 1", 5, "expected a field name after '.'");
    refused("x == 99999999999999999999", 6, "the integer 99999999999999999999 does not fit 64 bits");
    refused("x == -9223372036854775809", 6, "the integer -9223372036854775809 does not fit 64 bits");
    refused("x == 1e999", 6, "the number 1e999 is out of range");
    refused("x == 12abc", 8, "unexpected 'a' in a number");
    refused("a & b", 3, "unexpected '&'");
    refused("", 1, "expected a value");
    refused("x == #", 6, "expected a value, not '#'");
    refused("(".repeat(100) + "x" + ")".repeat(100), 66, "nested more than 64 deep");
  }

  private static void refused(String text, int column, String problem) {
    ExprException e = assertThrows(ExprException.class, () -> ExprParser.parse(text), text);
    assertTrue(e.problem().startsWith(problem), text + ": " + e.problem());
    assertEquals(column, e.column(), text + ": " + e.getMessage());
    assertTrue(e.getMessage().endsWith(" at column " + column + " of '" + text + "'"), e.getMessage());
  }

  /** Untrusted text: random strings over the grammar's alphabet parse or refuse, never anything else. */
  @Test
  void randomTextOnlyParsesOrRefuses() {
    String alphabet = "ab.(),:\"`\\!=<>&|-0x19e. lenhasPrefixargretnil";
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(24);
      for (int j = 0; j < n; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        ExprParser.parse(b.toString());
        ExprParser.parseList(b.toString());
      } catch (ExprException expected) {
        assertTrue(expected.column() >= 1 && expected.column() <= b.length() + 1, b + ": " + expected.getMessage());
      }
    }
  }
}
