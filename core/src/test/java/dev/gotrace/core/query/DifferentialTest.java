package dev.gotrace.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Program;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The emitted eBPF, run in the interpreter, answers as the {@link Evaluator} does over the same
 * recorded bytes: filters, captured bits and key bytes; and the split (entry, captures, exit)
 * answers as the whole filter does.
 */
class DifferentialTest {
  static FunctionQuery plan(String where, String by) {
    return QueryPlanner.plan(Question.parse(Optional.ofNullable(where), Optional.ofNullable(by), 64),
        Synthetic.SCOPE, true);
  }

  /** Both sides agree, and the whole filter is what the split decides. */
  static Differential.Answer agree(String where, String by, Recorded call) {
    FunctionQuery q = plan(where, by);
    Differential.Answer vm = Differential.vm(q, call);
    Differential.Answer ev = Differential.evaluator(q, call);
    assertEquals(ev, vm, () -> "where " + where + " by " + by);
    if (where != null) {
      Question question = Question.parse(Optional.of(where), Optional.empty(), 64);
      boolean whole = new Evaluator(dev.gotrace.goelf.arch.Arch.AMD64, call.regs, call.memory())
          .test(QueryPlanner.typed(question, Synthetic.SCOPE, true));
      assertEquals(whole, ev.entry() && ev.exit(), () -> "split of " + where);
    }
    return vm;
  }

  static boolean holds(String where, Recorded call) {
    Differential.Answer a = agree(where, null, call);
    return a.entry() && a.exit();
  }

  static Recorded call() {
    Recorded c = new Recorded();
    long name = c.alloc("GopherCon".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.nio.ByteBuffer t = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    t.putInt(0, -7).putLong(8, 1L << 40).putLong(16, name).putLong(24, 9).putDouble(32, 2.5).putLong(40, 0);
    t.put(48, (byte) 1).putShort(50, (short) 65000).put(52, (byte) -3).putInt(56, 4);
    long p = c.alloc(t.array());
    c.putLong(Synthetic.param("a"), 2021).putLong(Synthetic.param("b"), -5).putLong(Synthetic.param("c"), 250)
        .put(Synthetic.param("d"), new byte[] {1}).put(Synthetic.param("s"), c.string("/api/v1/users"))
        .putLong(Synthetic.param("p"), p).put(Synthetic.param("e"), new byte[16])
        .putLong(Synthetic.param("f"), Double.doubleToRawLongBits(-0.0))
        .putLong(Synthetic.param("g"), Float.floatToRawIntBits(Float.NaN))
        .putLong(Synthetic.param("u"), -1L).put(Synthetic.param("t"), c.string(""))
        .putLong(Synthetic.param("q"), RandomCalls.UNMAPPED).putLong(Synthetic.param("h"), -300)
        .putLong(Synthetic.param("k"), -128).putLong(Synthetic.param("w"), 0xfffffffeL)
        .putLong(Synthetic.param("r0"), 42).put(Synthetic.param("r1"), c.string("héllo"))
        .put(Synthetic.param("r2"), Recorded.concat(Recorded.le(0x4b0000, 8), Recorded.le(0xc000, 8)))
        .put(Synthetic.param("r3"), new byte[] {0});
    return c;
  }

  @Test
  void integersCompareByTheirTypesSignedness() {
    Recorded c = call();
    assertTrue(holds("a == 2021 && a >= 2021 && a <= 2021 && a > 2020 && a < 2022 && a != 0", c));
    assertTrue(holds("b < 0 && b == -5 && -5 == b && 0 > b", c));
    assertTrue(holds("c == 250 && c > 200 && u == 18446744073709551615 && u > 0", c));
    assertTrue(holds("h == -300 && k == -128 && k < 0 && w == 4294967294 && w > 2147483647", c));
    assertTrue(holds("p.X == -7 && p.Y == 1099511627776 && p.U == 65000 && p.I8 == -3 && p.Depth == 4", c));
    assertTrue(holds("a == arg0 && r0 == 42 && ret0 < a && len(s) == 13 && len(t) == 0", c));
    assertTrue(holds("!(a == 2020) && !(b > 0)", c));
  }

  @Test
  void boolsFloatsAndNil() {
    Recorded c = call();
    assertTrue(holds("d && d == true && !r3 && r3 == false && p.Ok", c));
    // -0 == 0, NaN compares false except !=
    assertTrue(holds("f == 0 && f == -0.0 && f >= 0 && f <= 0 && !(f < 0) && f > -1e-300", c));
    assertTrue(holds("!(g == g) && g != g && !(g < 1) && !(g >= 1) && g != 1.5", c));
    assertTrue(holds("p.F == 2.5 && p.F > 2 && p.F < 3 && p.F != 1", c));
    assertTrue(holds("p != nil && e == nil && xs == nil && p.Next == nil && r2 != nil", c));
    // through the unmapped q: every comparison is false, even its negation's operands
    assertTrue(holds("!(q.Next == nil) && !(q.Next != nil) && !(q.Next.Next.Y == 0) && !(q.Next.Next.Y != 0)", c));
    assertTrue(holds("!(p.Next.X == 0) && !(p.Next.X != 0)", c)); // p.Next is nil
  }

  @Test
  void stringsExactlyByPrefixSuffixAndOrder() {
    Recorded c = call();
    assertTrue(holds("s == \"/api/v1/users\" && s != \"/api/v1/user\" && s != \"/api/v1/usersx\"", c));
    assertTrue(holds("hasPrefix(s, \"/api\") && hasPrefix(s, \"\") && !hasPrefix(s, \"/apx\")", c));
    assertTrue(holds("hasSuffix(s, \"users\") && hasSuffix(s, \"/api/v1/users\") && !hasSuffix(s, \"/api/v1/users/\")", c));
    assertTrue(holds("s > \"/api\" && s < \"/api/v2\" && s >= \"/api/v1/users\" && s <= \"/api/v1/users\"", c));
    assertTrue(holds("s < \"/b\" && \"/b\" > s && s > \"\" && t == \"\" && t < \"a\" && t <= \"\" && !(t > \"\")", c));
    assertTrue(holds("r1 == \"héllo\" && r1 > \"hello\" && p.Name == \"GopherCon\" && hasPrefix(p.Name, \"Gopher\")", c));
  }

  @Test
  void keysOfEveryKindAreTheSameBytes() {
    Recorded c = call();
    String by = "a, b, c, d, s, f, g, u, k, w, p != nil, len(s), q.Next.Y";
    Differential.Answer a = agree(null, by, c);
    assertEquals("[2021, -5, 250, true, \"/api/v1/users\", 0, NaN, 18446744073709551615, -128, "
        + "4294967294, true, 13, (unreadable)]",
        plan(null, by).keys().decode(a.stackKey()).stream().map(KeyValue::text).toList().toString());
    Differential.Answer x = agree(null, "r1, r0, r2 == nil, r3, p.Name", c);
    assertEquals("[\"héllo\", 42, false, false, \"GopherCon\"]", plan(null, "r1, r0, r2 == nil, r3, p.Name")
        .keys().decode(x.stackKey()).stream().map(KeyValue::text).toList().toString());
  }

  @Test
  void cutStringKeysKeepTheirLength() {
    Recorded c = new Recorded();
    c.put(Synthetic.param("s"), c.string("x".repeat(90)));
    FunctionQuery q = QueryPlanner.plan(Question.parse(Optional.empty(), Optional.of("s"), 16), Synthetic.SCOPE, true);
    Differential.Answer vm = Differential.vm(q, c);
    assertEquals(Differential.evaluator(q, c), vm);
    assertEquals("\"xxxxxxxxxxxxxxxx…\" (cut, 90 bytes)", q.keys().decode(vm.stackKey()).get(0).text());
  }

  @Test
  void randomExpressionsAgree() {
    int planned = 0;
    int refused = 0;
    int[] verdicts = new int[2];
    for (int i = 0; i < 4000; i++) {
      RandomExprs gen = new RandomExprs(i);
      String where = gen.where(3);
      String by = gen.by();
      FunctionQuery q;
      int keyBytes = 1 + new java.util.Random(i).nextInt(Question.MAX_KEY_BYTES);
      try {
        q = QueryPlanner.plan(Question.parse(Optional.of(where), by.isEmpty() ? Optional.empty() : Optional.of(by),
            keyBytes), Synthetic.SCOPE, true);
      } catch (QueryException e) {
        refused++;
        continue;
      }
      planned++;
      Program program = Differential.program(q);
      RandomCalls calls = new RandomCalls(i * 31L);
      for (int k = 0; k < 4; k++) {
        Recorded c = calls.next();
        Differential.Answer vm = Differential.vm(q, program, c);
        Differential.Answer ev = Differential.evaluator(q, c);
        final int seed = i;
        assertEquals(ev, vm, () -> "seed " + seed + ": where " + where + " by " + by);
        boolean whole = new Evaluator(dev.gotrace.goelf.arch.Arch.AMD64, c.regs, c.memory())
            .test(QueryPlanner.typed(Question.parse(Optional.of(where), Optional.empty(), 64), Synthetic.SCOPE, true));
        assertEquals(whole, ev.entry() && ev.exit(), () -> "seed " + seed + ": split of " + where);
        verdicts[whole ? 1 : 0]++;
      }
    }
    assertTrue(planned > 3000, planned + " planned, " + refused + " refused");
    assertTrue(verdicts[0] > 2000 && verdicts[1] > 2000, verdicts[0] + " false, " + verdicts[1] + " true");
  }
}
