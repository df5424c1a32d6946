package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.version.GoVersion;
import org.junit.jupiter.api.Test;

class GoVersionTest {
  @Test
  void releases() {
    GoVersion v = GoVersion.parse("go1.22.12").orElseThrow();
    assertEquals(1, v.major());
    assertEquals(22, v.minor());
    assertEquals(12, v.patch());
    assertTrue(v.isExact());
    assertTrue(v.atLeast(1, 17));
    assertTrue(v.atLeast(1, 22));
    assertFalse(v.atLeast(1, 23));
    assertEquals("go1.22.12", v.toString());
    GoVersion old = GoVersion.parse("go1.15.15").orElseThrow();
    assertTrue(old.compareTo(v) < 0);
    assertFalse(old.atLeast(1, 17));
    assertEquals(0, GoVersion.parse("go1.20").orElseThrow().patch());
    GoVersion rc = GoVersion.parse("go1.21rc2").orElseThrow();
    assertEquals(21, rc.minor());
    assertEquals(-1, rc.patch());
    assertEquals(22, GoVersion.parse("go1.22.0-X:nocoverageredesign").orElseThrow().minor());
  }

  @Test
  void develAndGarbage() {
    GoVersion d = GoVersion.parse("devel go1.23-a1b2c3 Tue Jan 1 00:00:00 2024 +0000").orElseThrow();
    assertTrue(d.isDevel());
    assertEquals(23, d.minor());
    assertTrue(d.atLeast(1, 23));
    assertFalse(d.isExact());
    GoVersion unknown = GoVersion.parse("devel +abcdef").orElseThrow();
    assertFalse(unknown.atLeast(1, 2));
    assertTrue(GoVersion.parse("1.22").isEmpty());
    assertTrue(GoVersion.parse("gopher").isEmpty());
    assertTrue(GoVersion.parse(null).isEmpty());
  }

  @Test
  void rangesAreHonest() {
    GoVersion r = GoVersion.range(16, 17, "inferred from pclntab 0xfffffffa");
    assertFalse(r.isExact());
    assertFalse(r.minorKnown());
    assertTrue(r.atLeast(1, 16));
    assertFalse(r.atLeast(1, 17));
    assertEquals("go1.16..go1.17", r.toString());
    assertEquals("go1.20..", GoVersion.range(20, Integer.MAX_VALUE, "x").toString());
  }
}
