package dev.gotrace.goelf.rtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * runtime.g's layout read from its type descriptor (through runtime.malg's code) against the
 * independent oracle of the same layout the compiler wrote in DWARF: on every binary of the
 * matrix that has DWARF, and on every stripped or distro binary against its unstripped twin
 * (same series, arch and program; variant default for stripped, extlink for distro).
 */
class DerivedGLayoutTest {
  static boolean hasDwarf(TestBinary b) {
    return !b.variant().equals("stripped") && !b.variant().equals("distro");
  }

  static GLayout dwarfLayout(TestBinary b) throws Exception {
    try (GoBinary bin = GoBinary.open(b.path())) {
      return bin.dwarf().orElseThrow().gLayout().orElseThrow();
    }
  }

  static Derivation.Derived derive(TestBinary b) throws Exception {
    try (GoBinary bin = GoBinary.open(b.path())) {
      Derivation d = bin.deriveGLayout();
      if (d instanceof Derivation.NotDerived n) {
        throw new AssertionError(b.label() + ": " + n.reason());
      }
      return assertInstanceOf(Derivation.Derived.class, d);
    }
  }

  @TestFactory
  Stream<DynamicTest> derivedEqualsDwarf() {
    var bins = TestBinaries.where(DerivedGLayoutTest::hasDwarf);
    assertTrue(bins.size() >= 50, "matrix too small: " + bins.size());
    return bins.stream().map(b -> DynamicTest.dynamicTest(b.label(), () -> {
      Derivation.Derived d = derive(b);
      assertEquals(dwarfLayout(b), d.layout());
      try (GoBinary bin = GoBinary.open(b.path())) {
        // DW_AT_go_runtime_type of DWARF's runtime.g names the same descriptor.
        long off = d.descriptor() - bin.moduleData().orElseThrow().types();
        assertEquals("runtime.g", bin.dwarf().orElseThrow().typeByRuntimeOffset(off).orElseThrow().name());
      }
      if (!b.arch().equals("386")) {
        assertTrue(d.checks().stream().anyMatch(c -> c.contains("rt0_go confirms")), d.checks().toString());
        if (b.goMinor() >= 17 || b.arch().equals("arm64")) {
          assertTrue(d.checks().stream().anyMatch(c -> c.contains("mcall confirms")), d.checks().toString());
        }
      }
    }));
  }

  /** The unstripped build the same toolchain made from the same program. */
  static TestBinary twin(TestBinary b) {
    return TestBinaries.get(b.series(), b.arch(), b.variant().equals("distro") ? "extlink" : "default", b.program());
  }

  /** Without DWARF, gLayout() takes the derived layout; it must be the twin's DWARF layout. */
  @TestFactory
  Stream<DynamicTest> strippedEqualsTwinDwarf() {
    var bins = TestBinaries.where(b -> !hasDwarf(b));
    assertTrue(bins.size() >= 20, "matrix too small: " + bins.size());
    return bins.stream().map(b -> DynamicTest.dynamicTest(b.label(), () -> {
      GLayout expected = dwarfLayout(twin(b));
      try (GoBinary bin = GoBinary.open(b.path())) {
        assertTrue(bin.dwarf().isEmpty(), "has DWARF");
        GLayoutAnswer a = bin.gLayout();
        GLayoutAnswer.Proven p = assertInstanceOf(GLayoutAnswer.Proven.class, a, a.toString());
        assertEquals(GLayoutAnswer.Source.TYPE_DESCRIPTOR, p.source());
        assertEquals(expected, p.layout());
        assertTrue(p.evidence().contains("equal to the table"), p.evidence());
      }
    }));
  }
}
