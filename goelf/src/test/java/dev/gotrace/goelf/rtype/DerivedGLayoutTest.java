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
      if (b.arch().equals("amd64")) {
        assertTrue(d.checks().stream().anyMatch(c -> c.contains("rt0_go confirms")), d.checks().toString());
        if (b.goMinor() >= 17) {
          assertTrue(d.checks().stream().anyMatch(c -> c.contains("mcall confirms")), d.checks().toString());
        }
      }
    }));
  }
}
