package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reading a unit at a time, checked against a read of every unit on the real binaries of the test
 * matrix: the unit index (root DIEs only) names the unit of every function and inlined copy, and a
 * view over the units of some packages and the runtime gives the same facts about them.
 */
class DwarfUnitsTest {
  private static List<TestBinary> withDwarf() {
    return TestBinaries.where(b -> !b.isStripped() && (b.program().equals("server")
        || b.program().equals("workload") || b.program().equals("cgo")));
  }

  private static Stream<DynamicTest> each(Check check) {
    return withDwarf().stream().map(b -> DynamicTest.dynamicTest(b.label(), () -> check.run(b)));
  }

  private interface Check {
    void run(TestBinary b) throws Exception;
  }

  private static DwarfUnits open(TestBinary b) throws Exception {
    return DwarfUnits.open(ObjcopySections.load(b.path()), ObjcopySections.ptrSize(b.path()));
  }

  @TestFactory
  Stream<DynamicTest> theIndexFindsTheUnitOfEveryFunctionAndInlinedCopy() {
    return each(b -> {
      DwarfUnits units = open(b);
      GoDwarf full = units.all();
      UnitIndex index = units.index();
      assertFalse(full.functions().isEmpty(), b.label());
      int unclaimed = 0;
      for (Subprogram f : full.functions()) {
        UnitIndex.Entry holder = index.containing(f.dieOffset()).orElseThrow();
        unclaimed += index.at(f.lowPc()).isEmpty() ? 1 : 0;
        assertTrue(index.mayDescribe(f.lowPc()).contains(holder), b.label() + ": " + f.name() + " at 0x"
            + Long.toHexString(f.lowPc()) + " is in unit 0x" + Long.toHexString(holder.unit().offset)
            + " (" + holder.name() + "), the index says " + index.at(f.lowPc()).stream().map(UnitIndex.Entry::name).toList());
      }
      int copies = 0;
      for (String name : full.inlinedNames()) {
        for (InlinedSubroutine c : full.inlinedCopies(name)) {
          UnitIndex.Entry holder = index.containing(c.dieOffset()).orElseThrow();
          for (var r : c.ranges()) {
            assertTrue(index.mayDescribe(r.start()).contains(holder), b.label() + ": copy of " + name + " at 0x" + Long.toHexString(r.start()));
          }
          copies++;
        }
      }
      assertTrue(copies > 0, b.label() + ": no inlined copies");
      // Code no unit claims would make a view read every unit.
      assertEquals(0, unclaimed, b.label() + ": functions in no unit's ranges");
    });
  }

  @TestFactory
  Stream<DynamicTest> aViewOverSomePackagesAndTheRuntimeAnswersAsAReadOfEveryUnit() {
    return each(b -> {
      GoDwarf full = open(b).all();
      DwarfUnits units = open(b);
      String pkg = b.program().equals("server") ? "net/http." : "main.";
      List<Subprogram> chosen = full.functions().stream().filter(f -> f.name().startsWith(pkg)).toList();
      assertFalse(chosen.isEmpty(), b.label());
      List<Long> pcs = new ArrayList<>();
      chosen.forEach(f -> pcs.add(f.lowPc()));
      GoDwarf view = units.covering(pcs);
      for (Subprogram f : chosen) {
        Subprogram v = view.functionAt(f.lowPc()).orElseThrow(() -> new AssertionError(b.label() + ": " + f.name()));
        assertEquals(described(f), described(v), b.label());
        assertEquals(full.functionAt(f.lowPc() + 1).map(DwarfUnitsTest::described),
            view.functionAt(f.lowPc() + 1).map(DwarfUnitsTest::described), b.label());
      }
      int copies = 0;
      for (String name : full.inlinedNames()) {
        for (InlinedSubroutine c : full.inlinedCopies(name)) {
          long pc = c.ranges().get(0).start();
          if (chosen.stream().anyMatch(f -> pc >= f.lowPc() && pc < f.highPc())) {
            assertEquals(full.inlinedAt(name, pc).map(DwarfUnitsTest::described),
                view.inlinedAt(name, pc).map(DwarfUnitsTest::described), b.label() + ": " + name);
            copies++;
          }
        }
      }
      assertTrue(copies > 0, b.label() + ": no inlined copies in " + pkg + "*");
      assertEquals(full.gLayout(), view.gLayout(), b.label());
      assertTrue(view.gLayout().isPresent(), b.label());
      assertEquals(full.typeNamed("runtime.g").map(Describe::type), view.typeNamed("runtime.g").map(Describe::type));
      assertEquals(full.runtimeTypes().keySet(), view.runtimeTypes().keySet(), b.label());
      full.runtimeTypes().forEach((off, t) -> assertEquals(Describe.type(t), Describe.type(view.runtimeTypes().get(off))));
      assertEquals(full.unitVersions(), view.unitVersions());
      int[] read = units.unitsRead();
      assertTrue(read[1] < read[0], b.label() + ": read " + read[1] + " of " + read[0] + " units");
      assertFalse(view.complete());
      assertThrows(IllegalStateException.class, view::functions);
    });
  }

  @TestFactory
  Stream<DynamicTest> aViewRefusesCodeItDidNotRead() {
    return each(b -> {
      GoDwarf full = open(b).all();
      DwarfUnits units = open(b);
      Subprogram main = full.function("main.main").orElseThrow();
      GoDwarf runtimeOnly = units.covering(List.of());
      assertThrows(IllegalStateException.class, () -> runtimeOnly.functionAt(main.lowPc()));
      assertEquals(Optional.of(described(main)), units.covering(List.of(main.lowPc())).functionAt(main.lowPc())
          .map(DwarfUnitsTest::described));
    });
  }

  @TestFactory
  Stream<DynamicTest> sectionsAreFetchedOnlyWhenADieNeedsThem() {
    return each(b -> {
      var raw = ObjcopySections.raw(b.path());
      java.util.Set<String> asked = java.util.concurrent.ConcurrentHashMap.newKeySet();
      DwarfSections sections = DwarfSections.of(name -> {
        asked.add(name);
        return Optional.ofNullable(raw.get(name)).map(x -> dev.gotrace.goelf.io.ByteCursor.of(x, b.path(), name, 0));
      });
      DwarfUnits units = DwarfUnits.open(sections, ObjcopySections.ptrSize(b.path()));
      // the unit index needs the root DIEs' ranges, nothing about parameters
      assertFalse(asked.contains(".debug_loc") || asked.contains(".debug_loclists"), b.label() + ": " + asked);
      assertTrue(units.covering(List.of()).gLayout().isPresent(), b.label());
      GoDwarf all = units.all();
      assertFalse(all.functions().isEmpty());
      // no DIE refers to the line tables: they are never inflated
      assertFalse(asked.contains(".debug_line"), b.label() + ": " + asked);
    });
  }

  private static String described(Subprogram f) {
    return Describe.function(f) + " @" + Long.toHexString(f.lowPc()) + ".." + Long.toHexString(f.highPc())
        + " die " + f.dieOffset() + " " + f.params().stream().map(p -> p.placeAt(f.lowPc()).toString()).toList();
  }

  private static String described(InlinedSubroutine c) {
    long pc = c.ranges().get(0).start();
    return c.name() + " " + c.ranges() + " die " + c.dieOffset() + " " + c.params().stream()
        .map(p -> p.name() + " " + Describe.type(p.type(), 1) + " " + p.placeAt(pc)).toList();
  }
}
