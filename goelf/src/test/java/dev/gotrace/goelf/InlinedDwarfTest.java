package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.InlinedSubroutine;
import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Place;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.InlinedCall;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * DWARF's inlined copies (DW_TAG_inlined_subroutine) against the pclntab's inline trees, two
 * encodings of the same inlining written by different parts of the toolchain: each copy the
 * pclntab knows is found in DWARF at its first instruction, with the parameters of its origin.
 */
class InlinedDwarfTest {
  static Stream<DynamicTest> each(String program, Check check) {
    return TestBinaries.where(b -> b.program().equals(program) && !b.isStripped()).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          try (GoBinary bin = GoBinary.open(b.path())) {
            check.run(b, bin, bin.dwarf().orElseThrow());
          }
        }));
  }

  interface Check {
    void run(TestBinary b, GoBinary bin, GoDwarf d) throws Exception;
  }

  @TestFactory
  Stream<DynamicTest> counterHitHasItsReceiverLocatedInEveryCopy() {
    return each("workload", (b, bin, d) -> {
      List<InlinedCall> copies = bin.inlinedCopies("main.(*counter).hit");
      assertTrue(copies.size() >= 20, b.label() + " " + copies.size());
      for (InlinedCall c : copies) {
        long pc = c.ranges().get(0).start();
        InlinedSubroutine s = d.inlinedAt(c.function(), pc).orElseThrow(() -> new AssertionError(c.toString()));
        assertEquals(List.of("c"), s.inputs().stream().map(Param::name).toList(), c.toString());
        assertEquals("*main.counter", s.inputs().get(0).type().name());
        if (!b.arch().equals("amd64")) {
          continue; // arm64 keeps the receiver in a register only after the copy's first instruction once
        }
        Optional<Place> at = s.inputs().get(0).placeAt(pc);
        assertTrue(at.isPresent() && (at.get() instanceof Place.Register || at.get() instanceof Place.CfaOffset),
            b.label() + " " + c + " " + at);
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> addListsBothParametersAndLocatesNoConstant() {
    return each("workload", (b, bin, d) -> {
      List<InlinedCall> copies = bin.inlinedCopies("main.add");
      assertEquals(2, copies.size(), b.label());
      for (InlinedCall c : copies) {
        long pc = c.ranges().get(0).start();
        InlinedSubroutine s = d.inlinedAt("main.add", pc).orElseThrow();
        assertEquals(List.of("a", "b"), s.inputs().stream().map(Param::name).toList());
        // add(r, 1), add(r, 2): b is a folded constant, which has no location.
        assertFalse(s.inputs().get(1).placeAt(pc).isPresent(), b.label());
        assertTrue(s.ranges().stream().anyMatch(r -> r.start() == pc), s.toString());
      }
    });
  }

  /**
   * Every inlined copy of the server's pclntab is in DWARF for Go 1.22+. Go 1.19 leaves out the
   * copies inside the pointer wrappers it generates for value methods ((*T).M calling T.M, a
   * handful); Go 1.15 leaves out some more of the runtime's.
   */
  @TestFactory
  Stream<DynamicTest> everyInlinedCopyOfTheServerIsInDwarf() {
    return each("server", (b, bin, d) -> {
      int total = 0;
      List<String> missing = new ArrayList<>();
      for (GoFunc f : bin.functions()) {
        for (InlinedCall c : bin.inlineTree(f)) {
          if (c.ranges().isEmpty()) {
            continue;
          }
          total++;
          if (d.inlinedAt(c.function(), c.ranges().get(0).start()).isEmpty()) {
            missing.add(c.function() + " in " + f.name());
          }
        }
      }
      assertTrue(total > 8000, b.label() + " " + total);
      if (b.goMinor() >= 22) {
        assertEquals(List.of(), missing, b.label());
      } else if (b.goMinor() >= 19) {
        assertTrue(missing.size() < 20 && missing.stream().allMatch(m -> m.contains(" in ") && m.contains(".(*")),
            missing.toString());
      } else {
        assertTrue(missing.size() * 10 < total, b.label() + ": " + missing.size() + " of " + total);
      }
    });
  }
}
