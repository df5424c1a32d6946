package dev.gotrace.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.PackageVariable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Package variables as query roots: the emitted code (run in probes/vm) reads them where the
 * {@link Evaluator} does, at their link address, or in a PIE at link address + (IP - the probe's
 * link address); filters, keys, and the refusals.
 */
class GlobalsDifferentialTest {
  static final GoType CONFIG = new GoType.Struct("main.Config", 24, 25, List.of(
      Synthetic.field("Mode", 0, Synthetic.STRING), Synthetic.field("Limit", 16, Synthetic.INT)));
  static final long REQUESTS = 0x5ad258, CFG = 0x588530, PTR = 0x5ad300, SITE = 0x4a1234;
  static final List<PackageVariable> VARS = List.of(
      new PackageVariable("main.requests", OptionalLong.of(REQUESTS), Synthetic.INT64, 1),
      new PackageVariable("main.cfg", OptionalLong.of(CFG), CONFIG, 2),
      new PackageVariable("main.head", OptionalLong.of(PTR), Synthetic.PT, 3),
      new PackageVariable("net/http.DefaultMaxHeaderBytes", OptionalLong.of(0x600000), Synthetic.INT, 4));

  static Scope scope(boolean pie) {
    return Synthetic.SCOPE.with(Globals.fixed(VARS, pie), OptionalLong.of(SITE));
  }

  static FunctionQuery plan(Scope s, String where, String by) {
    return QueryPlanner.plan(Question.parse(Optional.ofNullable(where), Optional.ofNullable(by), 64), s, true);
  }

  /** A call whose globals are at their link addresses + bias, the IP at SITE + bias. */
  static Recorded call(long bias, long requests, String mode) {
    Recorded c = new Recorded();
    ByteBuffer.wrap(c.regs).order(ByteOrder.LITTLE_ENDIAN).putLong(Arch.AMD64.ptRegsPc(), SITE + bias);
    c.memory.put(REQUESTS + bias, Recorded.le(requests, 8));
    byte[] m = mode.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long at = c.alloc(m);
    c.memory.put(CFG + bias, Recorded.concat(Recorded.le(at, 8), Recorded.le(m.length, 8), Recorded.le(100, 8)));
    ByteBuffer t = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    t.putInt(0, 77);
    long node = c.alloc(t.array());
    c.memory.put(PTR + bias, Recorded.le(node, 8));
    c.putLong(Synthetic.param("a"), 3);
    return c;
  }

  static Differential.Answer agree(Scope s, String where, String by, Recorded c) {
    FunctionQuery q = plan(s, where, by);
    Differential.Answer vm = Differential.vm(q, c);
    assertEquals(Differential.evaluator(q, c), vm, () -> where + " / " + by);
    return vm;
  }

  @Test
  void filtersOnGlobalsAtLinkAddresses() {
    Recorded c = call(0, 3, "steady");
    Scope s = scope(false);
    Differential.Answer yes = agree(s, "main.requests == 3 && main.cfg.Mode == \"steady\" && main.cfg.Limit == 100"
        + " && main.head.X == 77 && main.head != nil && a == main.requests", null, c);
    assertTrue(yes.entry() && yes.exit());
    Differential.Answer no = agree(s, "main.requests > 3 || hasPrefix(main.cfg.Mode, \"burst\")", null, c);
    assertFalse(no.entry() && no.exit());
  }

  @Test
  void keysByGlobals() {
    Recorded c = call(0, 41, "steady");
    FunctionQuery q = plan(scope(false), null, "main.cfg.Mode, main.requests");
    Differential.Answer a = agree(scope(false), null, "main.cfg.Mode, main.requests", c);
    assertEquals("[\"steady\", 41]", q.keys().decode(a.stackKey()).stream().map(KeyValue::text).toList().toString());
  }

  @Test
  void pieReadsAtTheBiasTheProbeComputes() {
    long bias = 0x7f12_3456_0000L;
    Recorded c = call(bias, 5, "burst");
    Differential.Answer a = agree(scope(true), "main.requests == 5 && main.cfg.Mode == \"burst\"", null, c);
    assertTrue(a.entry() && a.exit());
    // Read without the bias, the same memory is not there: the filter is false on both sides.
    Differential.Answer unbiased = agree(scope(false), "main.requests == 5", null, c);
    assertFalse(unbiased.entry());
  }

  @Test
  void refusals() {
    QueryException e = assertThrows(QueryException.class, () -> plan(scope(false), "main.request == 1", null));
    assertEquals("package main has no variable request", e.problem());
    assertEquals(Optional.of("did you mean main.requests?"), e.hint());
    e = assertThrows(QueryException.class, () -> plan(scope(false), "main.cfg == 1", null));
    assertTrue(e.problem().contains("a struct"), e.problem());
    // A package found by its path's last element.
    assertTrue(plan(scope(false), "http.DefaultMaxHeaderBytes > 0", null).entryFilter().isPresent());
    // In a PIE, a global compared with a result cannot be read at the return.
    e = assertThrows(QueryException.class, () -> plan(scope(true), "r0 == main.requests", null));
    assertTrue(e.problem().contains("position-independent"), e.problem());
    // In a PIE, a probe without a known link address cannot read one.
    Scope unknown = Synthetic.SCOPE.with(Globals.fixed(VARS, true), OptionalLong.empty());
    e = assertThrows(QueryException.class, () -> plan(unknown, "main.requests == 1", null));
    assertTrue(e.problem().contains("load bias"), e.problem());
    // Without package variables, the old message (names need DWARF) stays.
    e = assertThrows(QueryException.class, () -> plan(Synthetic.SCOPE, "main.requests == 1", null));
    assertTrue(e.problem().contains("has no parameter main"), e.problem());
  }
}
