package dev.gotrace.goelf.rtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.NextGo;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged runtime.g descriptors in real DWARF-less binaries: each is refused with a reason that
 * names what failed, and never yields a layout. And the next Go (the build-info version
 * rewritten to go1.99): the layout is still derived, without the table.
 */
class DamagedGLayoutTest {
  /** The DWARF-less builds of the current releases: stripped (internal link) and distro (external, cgo). */
  static List<TestBinary> noDwarf() {
    return TestBinaries.where(b -> b.goMinor() >= 25 && b.program().equals("server")
        && (b.variant().equals("stripped") || b.variant().equals("distro")));
  }

  /** Every build of the current releases, with or without DWARF, PIE included (derivation only). */
  static List<TestBinary> current() {
    return TestBinaries.where(b -> b.goMinor() >= 25 && b.program().equals("server"));
  }

  private static long descriptor(GoBinary b) throws Exception {
    return assertInstanceOf(Derivation.Derived.class, b.deriveGLayout()).descriptor();
  }

  private static GLayoutAnswer.Refused refused(byte[] img, TestBinary t) throws Exception {
    try (GoBinary damaged = GoBinary.of(img, t.path())) {
      GLayoutAnswer a = damaged.gLayout();
      assertTrue(a.known().isEmpty(), "a layout from a damaged descriptor: " + a);
      return assertInstanceOf(GLayoutAnswer.Refused.class, a);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noDwarf")
  void typeNameOverwrittenIsRefused(TestBinary t) throws Exception {
    byte[] img = Patches.image(t);
    try (GoBinary b = GoBinary.open(t.path())) {
      int at = Patches.typeNameText(b, descriptor(b));
      img[at + "*runtime.".length()] = 'h'; // *runtime.h
    }
    String why = refused(img, t).reason();
    assertTrue(why.contains("runtime.malg loads no type descriptor named runtime.g"), why);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noDwarf")
  void fieldNameOverwrittenIsRefused(TestBinary t) throws Exception {
    byte[] img = Patches.image(t);
    try (GoBinary b = GoBinary.open(t.path())) {
      int at = Patches.fieldNameText(b, Patches.field(b, descriptor(b), "goid"));
      img[at + 3] = 'x'; // goix
    }
    String why = refused(img, t).reason();
    assertTrue(why.contains("has no field goid"), why);
  }

  /**
   * goid and every field after it moved one word, g one word larger: consistent in itself and
   * not touched by the code cross-checks, so only the table can catch it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("noDwarf")
  void consistentLieAgainstTheTableIsRefused(TestBinary t) throws Exception {
    byte[] img = Patches.image(t);
    long goid;
    try (GoBinary b = GoBinary.open(t.path())) {
      Derivation.Derived real = assertInstanceOf(Derivation.Derived.class, b.deriveGLayout());
      goid = real.layout().goid();
      Patches.shiftFieldsFrom(img, b, real.descriptor(), "goid", b.arch().ptrSize());
    }
    try (GoBinary damaged = GoBinary.of(img, t.path())) {
      Derivation d = damaged.deriveGLayout();
      assertEquals(goid + damaged.arch().ptrSize(),
          assertInstanceOf(Derivation.Derived.class, d, d.toString()).layout().goid());
    }
    String why = refused(img, t).reason();
    assertTrue(why.contains("disagrees with gotrace's table") && why.contains("goid " + (goid + (t.arch().equals("386") ? 4 : 8)))
        && why.contains("goid " + goid), why);
  }

  /** g.m one word later: it overlaps sched, the field after it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("current")
  void mOffsetMovedIsRefused(TestBinary t) throws Exception {
    byte[] img = Patches.image(t);
    try (GoBinary b = GoBinary.open(t.path())) {
      int at = Patches.fieldOffsetWord(b, Patches.field(b, descriptor(b), "m"));
      int w = b.arch().ptrSize();
      Patches.putWord(img, at, Patches.getWord(img, at, w) + w, w);
    }
    try (GoBinary damaged = GoBinary.of(img, t.path())) {
      Derivation d = damaged.deriveGLayout();
      String why = assertInstanceOf(Derivation.NotDerived.class, d, d.toString()).reason();
      assertTrue(why.contains("field sched at offset") && why.contains("overlaps the field before it"), why);
    }
  }

  static List<TestBinary> currentAmd64() {
    return current().stream().filter(t -> t.arch().equals("amd64")).toList();
  }

  static List<TestBinary> currentWithWitness() {
    return current().stream().filter(t -> !t.arch().equals("386")).toList();
  }

  /**
   * mcall's load of g.m patched to read one word later: amd64 {@code MOVQ g_m(R14), BX}
   * (49 8b 5e m), arm64 {@code LDR X8, [X28, #m]} (f9400388 | m/8 << 10).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("currentWithWitness")
  void mcallDisagreeingIsRefused(TestBinary t) throws Exception {
    byte[] img = Patches.image(t);
    long m;
    try (GoBinary b = GoBinary.open(t.path())) {
      m = assertInstanceOf(Derivation.Derived.class, b.deriveGLayout()).layout().m();
      if (t.arch().equals("amd64")) {
        int at = Patches.inFunction(b, "runtime.mcall", 0x49, 0x8b, 0x5e, (int) m);
        img[at + 3] = (byte) (m + 8);
      } else {
        int word = 0xf9400388 | (int) (m / 8) << 10;
        int at = Patches.inFunction(b, "runtime.mcall", word & 0xff, word >>> 8 & 0xff, word >>> 16 & 0xff, word >>> 24);
        Patches.putWord(img, at, word + (1 << 10), 4);
      }
    }
    try (GoBinary damaged = GoBinary.of(img, t.path())) {
      Derivation d = damaged.deriveGLayout();
      String why = assertInstanceOf(Derivation.NotDerived.class, d, d.toString()).reason();
      assertTrue(why.contains("runtime.mcall loads g.m from offset " + (m + 8)), why);
    }
  }

  /** rt0_go's {@code MOVQ SP, (g_stack+stack_hi)(DI)} (48 89 67 08) patched to store one word later. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("currentAmd64")
  void rt0GoDisagreeingIsRefused(TestBinary t) throws Exception {
    byte[] img = Patches.image(t);
    try (GoBinary b = GoBinary.open(t.path())) {
      int at = Patches.inFunction(b, "runtime.rt0_go", 0x48, 0x89, 0x67, 0x08);
      img[at + 3] = 0x10;
    }
    try (GoBinary damaged = GoBinary.of(img, t.path())) {
      Derivation d = damaged.deriveGLayout();
      String why = assertInstanceOf(Derivation.NotDerived.class, d, d.toString()).reason();
      assertTrue(why.contains("runtime.rt0_go stores g0's stack.lo/hi at 0/16"), why);
    }
  }

  /** The next Go: the table knows nothing, the layout is derived and equals the real one. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("current")
  void theNextGoStillDerivesTheLayout(TestBinary t) throws Exception {
    try (GoBinary b = GoBinary.open(t.path())) {
      byte[] img = NextGo.image(t);
      Derivation.Derived real = assertInstanceOf(Derivation.Derived.class, b.deriveGLayout());
      try (GoBinary next = GoBinary.of(img, t.path())) {
        assertEquals("go1.99", next.goVersion().raw().substring(0, 6));
        Derivation.Derived d = assertInstanceOf(Derivation.Derived.class, next.deriveGLayout());
        assertEquals(real.layout(), d.layout());
        if (!DerivedGLayoutTest.hasDwarf(t)) {
          GLayoutAnswer.Proven p = assertInstanceOf(GLayoutAnswer.Proven.class, next.gLayout());
          assertEquals(real.layout(), p.layout());
          assertTrue(p.evidence().contains("not in the table"), p.evidence());
        }
      }
    }
  }
}
