package dev.gotrace.goelf.rtype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.GoBinaryException;
import dev.gotrace.goelf.dwarf.GLayout;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutation fuzzing of exactly the bytes the derivation reads: runtime.g's descriptor,
 * its field array, its name, and runtime.malg's code. Whatever the damage, gLayout() of a
 * DWARF-less binary either refuses or gives the true layout, and only the four GoBinaryException
 * kinds escape, never through the last-resort guard.
 */
class FuzzGLayoutTest {
  static List<TestBinary> samples() {
    return List.of(TestBinaries.get("go1.27", "amd64", "stripped", "server"),
        TestBinaries.get("go1.26", "amd64", "distro", "server"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void damageNeverYieldsAWrongLayout(TestBinary t) throws Exception {
    byte[] image = Patches.image(t);
    GLayout truth;
    int[][] regions;
    try (GoBinary b = GoBinary.open(t.path())) {
      Derivation.Derived d = assertInstanceOf(Derivation.Derived.class, b.deriveGLayout());
      truth = d.layout();
      TypeFormat f = TypeFormat.of(b.goVersion(), 8).orElseThrow();
      long fields = b.elf().pointerAt(d.descriptor() + f.fieldsAt());
      GoFunc malg = b.function(GLayoutDeriver.MALG).orElseThrow();
      regions = new int[][] {
          {Patches.fileOffset(b, d.descriptor()), f.fieldsAt() + 3 * 8},
          {Patches.fileOffset(b, fields), 64 * f.fieldSize()},
          {Patches.typeNameText(b, d.descriptor()) - 2, 12},
          {Patches.fileOffset(b, malg.entry()), 48}};
    }
    Random rnd = new Random(0x9e0);
    int refused = 0;
    int rounds = 150;
    for (int i = 0; i < rounds; i++) {
      int[] r = regions[rnd.nextInt(regions.length)];
      int at = r[0] + rnd.nextInt(r[1]);
      byte old = image[at];
      image[at] = (byte) (rnd.nextInt(8) == 0 ? 0xff : old ^ (1 << rnd.nextInt(8)));
      try (GoBinary b = GoBinary.of(image, Path.of("mutation " + i))) {
        GLayoutAnswer a = b.gLayout();
        if (a instanceof GLayoutAnswer.Proven p) {
          assertEquals(truth, p.layout(), "mutation " + i + " at 0x" + Integer.toHexString(at));
        } else {
          refused++;
          assertTrue(!((GLayoutAnswer.Refused) a).reason().contains("\n"));
        }
      } catch (GoBinaryException e) {
        if (e.getCause() != null) {
          throw new AssertionError("mutation " + i + ": the guard caught " + e.getCause(), e.getCause());
        }
      }
      image[at] = old;
    }
    System.out.println(t.label() + ": " + refused + " of " + rounds + " mutations refused, the others gave the true layout");
    assertTrue(refused > 0, "no mutation was refused: the fuzzing does not reach the descriptor");
  }
}
