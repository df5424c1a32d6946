package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The index checked against real Go binaries of the test matrix (binaries with DWARF). */
class GoBinariesDwarfTest {
  private static final Map<TestBinary, GoDwarf> PARSED = new ConcurrentHashMap<>();

  static GoDwarf dwarf(TestBinary b) {
    return PARSED.computeIfAbsent(b, k -> {
      try {
        return GoDwarf.read(ObjcopySections.load(k.path()), ObjcopySections.ptrSize(k.path()));
      } catch (Exception e) {
        throw new AssertionError(k + ": " + e, e);
      }
    });
  }

  static List<TestBinary> withDwarf(String program) {
    return TestBinaries.where(b -> b.program().equals(program) && !b.isStripped());
  }

  private static Stream<DynamicTest> each(String program, java.util.function.Consumer<TestBinary> check) {
    return withDwarf(program).stream().map(b -> DynamicTest.dynamicTest(b.label(), () -> check.accept(b)));
  }

  /** DWARF register numbers of Go's integer argument registers (amd64 psABI / AAPCS64 DWARF). */
  private static final int[] AMD64_ARGS = {0, 3, 2, 5, 4, 8, 9, 10, 11};

  @TestFactory
  Stream<DynamicTest> prepareAnswerHasNameYearStatusAndOneStringResult() {
    return each("server", b -> {
      Subprogram f = dwarf(b).function("main.prepareAnswer").orElseThrow();
      assertTrue(f.lowPc() != 0 && f.highPc() > f.lowPc(), f.toString());
      assertEquals(Optional.of(f), dwarf(b).functionAt(f.lowPc() + 1));
      List<Param> in = f.inputs();
      assertEquals(List.of("name", "year", "status"), in.stream().map(Param::name).toList());
      assertInstanceOf(GoType.GoString.class, in.get(0).type());
      int word = Words.of(b);
      assertEquals(2L * word, in.get(0).type().size());
      for (Param p : in.subList(1, 3)) {
        GoType.Base t = assertInstanceOf(GoType.Base.class, p.type());
        assertEquals("int", t.name());
        assertEquals(word, t.size());
        assertEquals(5, t.encoding(), "DW_ATE_signed");
      }
      List<Param> out = f.results();
      assertEquals(1, out.size());
      // Go 1.18 renamed unnamed results from ~r<index among all params> to ~r<index among results>.
      assertEquals(b.goMinor() >= 18 ? "~r0" : "~r3", out.get(0).name());
      assertInstanceOf(GoType.GoString.class, out.get(0).type());
      assertEquals(out.get(0), f.params().get(3), "results follow inputs");
      checkEntryPlaces(b, f);
    });
  }

  /** Where Go's ABI puts (string, int, int) at entry: registers under ABIInternal, else the stack. */
  private static void checkEntryPlaces(TestBinary b, Subprogram f) {
    List<Optional<Place>> at = f.inputs().stream().map(p -> p.placeAt(f.lowPc())).toList();
    boolean regAbi = (b.arch().equals("amd64") && b.goMinor() >= 17)
        || (b.arch().equals("arm64") && b.goMinor() >= 18);
    List<Place> expected;
    if (!regAbi) {
      // ABI0: arguments follow the return address (x86: CFA + 0) or, on arm64, the saved-LR
      // slot at 0(RSP) of the caller's frame (CFA + 8).
      long w = Words.of(b);
      long base = b.arch().equals("arm64") ? 8 : 0;
      expected = List.of(pieces(new Place.CfaOffset(base), new Place.CfaOffset(base + w), w),
          new Place.CfaOffset(base + 2 * w), new Place.CfaOffset(base + 3 * w));
    } else if (b.arch().equals("amd64")) {
      expected = List.of(pieces(reg(AMD64_ARGS[0]), reg(AMD64_ARGS[1]), 8), reg(AMD64_ARGS[2]), reg(AMD64_ARGS[3]));
    } else {
      expected = List.of(pieces(reg(0), reg(1), 8), reg(2), reg(3));
    }
    assertEquals(expected.stream().map(Optional::of).toList(), at, b + " entry places");
  }

  private static Place reg(int n) {
    return new Place.Register(n);
  }

  private static Place pieces(Place a, Place b, long size) {
    return new Place.Pieces(List.of(new Place.Piece(size, Optional.of(a)), new Place.Piece(size, Optional.of(b))));
  }

  @TestFactory
  Stream<DynamicTest> workloadParameterTypesAreWellFormed() {
    return each("workload", b -> {
      GoDwarf d = dwarf(b);
      long w = Words.of(b);
      Set<String> seen = new HashSet<>();
      int maxInts = 0;
      for (Subprogram f : d.functions()) {
        if (!f.name().startsWith("main.")) {
          continue;
        }
        maxInts = Math.max(maxInts, (int) f.inputs().stream().filter(p -> p.type().name().equals("int")).count());
        for (Param p : f.params()) {
          seen.add(checkShape(p.type(), w, f.name() + " " + p.name()));
        }
      }
      assertTrue(seen.containsAll(Set.of("string", "slice", "struct", "pointer", "error", "bool", "float"))
          && (seen.contains("iface") || seen.contains("eface")), "kinds seen in main.*: " + seen);
      assertTrue(maxInts >= 12, "a function with 12 int parameters");
      assertTrue(d.functions().stream().anyMatch(f -> f.name().matches("main\\.\\(\\*\\w+\\)\\.\\w+")), "pointer method");
      assertTrue(d.functions().stream().anyMatch(f -> f.name().matches("main\\.\\w+\\.func\\d+")), "closure");
      if (b.goMinor() >= 18) {
        assertTrue(d.functions().stream().anyMatch(f -> f.name().matches("main\\.\\w+\\[go\\.shape\\..*\\]")),
            "generic instantiation");
      }
    });
  }

  /** Checks one type against the shapes of cmd/link's DWARF; returns its category. */
  static String checkShape(GoType t, long w, String what) {
    GoType u = t.underlying();
    if (u instanceof GoType.GoString s) {
      assertEquals(List.of("str", "len"), s.fields().stream().map(GoType.Field::name).toList(), what);
      assertEquals(List.of(0L, w), s.fields().stream().map(GoType.Field::offset).toList(), what);
      assertEquals(2 * w, s.size(), what);
      return "string";
    }
    if (u instanceof GoType.Slice s) {
      assertEquals(List.of("array", "len", "cap"), s.fields().stream().map(GoType.Field::name).toList(), what);
      GoType.Pointer array = assertInstanceOf(GoType.Pointer.class, s.fields().get(0).type().get().underlying());
      assertEquals(s.elem(), array.elem().orElseThrow(), what + ": go_elem is what array points to");
      assertEquals(3 * w, s.size(), what);
      return "slice";
    }
    if (u instanceof GoType.Interface i) {
      assertEquals(2 * w, i.size(), what);
      return t.name().equals("error") ? "error" : i.empty() ? "eface" : "iface";
    }
    if (u instanceof GoType.Pointer p) {
      assertEquals(w, p.size(), what);
      assertTrue(p.elem().isPresent() || p.goKind() == 26, what);
      return "pointer";
    }
    if (u instanceof GoType.Struct s) {
      long end = 0;
      for (GoType.Field f : s.fields()) {
        assertTrue(f.offset() >= end, what + " field " + f.name() + " overlaps");
        end = f.offset() + Math.max(0, f.type().get().size());
      }
      assertTrue(end <= s.size(), what);
      return "struct";
    }
    if (u instanceof GoType.Base base) {
      return switch (base.encoding()) {
        case 2 -> "bool";
        case 4 -> "float";
        default -> "int";
      };
    }
    return u.getClass().getSimpleName();
  }

  @TestFactory
  Stream<DynamicTest> cyclicAndCompositeTypesResolve() {
    return each("workload", b -> {
      GoDwarf d = dwarf(b);
      // runtime.g points to runtime.m, which points back to runtime.g: a cycle through pointers.
      GoType.Struct g = assertInstanceOf(GoType.Struct.class, d.typeNamed("runtime.g").orElseThrow().underlying());
      GoType m = g.fields().stream().filter(f -> f.name().equals("m")).findFirst().orElseThrow().type().get();
      GoType.Struct mStruct = assertInstanceOf(GoType.Struct.class,
          assertInstanceOf(GoType.Pointer.class, m.underlying()).elem().orElseThrow().get().underlying());
      GoType g0 = mStruct.fields().stream().filter(f -> f.name().equals("g0")).findFirst().orElseThrow().type().get();
      GoType back = assertInstanceOf(GoType.Pointer.class, g0.underlying()).elem().orElseThrow().get();
      assertEquals("runtime.g", back.name());
      assertFalse(back.toString().isEmpty());
      GoType.GoMap map = assertInstanceOf(GoType.GoMap.class, d.typeNamed("map[string]int").orElseThrow());
      assertInstanceOf(GoType.GoString.class, map.key().get());
      assertEquals("int", map.elem().get().name());
      assertEquals(Words.of(b), map.size());
    });
  }

  /**
   * The DWARF version Go's compiler and linker write: 4 up to Go 1.24, 5 from Go 1.25 on
   * linux (the Dwarf5 experiment is on by default where supported: internal/buildcfg/exp.go).
   */
  static int goDwarfVersion(TestBinary b) {
    return b.goMinor() >= 25 ? 5 : 4;
  }

  /**
   * Go's units are all of {@link #goDwarfVersion}; with external linking the C start-up objects
   * add their own units (DWARF 2 or 5, depending on how they were built), so there are at least
   * as many of Go's version as the internally linked build of the same program has units.
   */
  @TestFactory
  Stream<DynamicTest> goUnitsAreOfTheVersionsDwarfVersion() {
    return each("server", b -> {
      Map<Integer, Integer> versions = dwarf(b).unitVersions();
      if (b.isExternallyLinked()) {
        TestBinary internal = TestBinaries.get(b.series(), b.arch(), "default", b.program());
        int goUnits = dwarf(internal).unitVersions().get(goDwarfVersion(b));
        assertTrue(versions.getOrDefault(goDwarfVersion(b), 0) >= goUnits, versions + " vs " + goUnits);
      } else {
        assertEquals(Set.of(goDwarfVersion(b)), versions.keySet());
      }
    });
  }

  /**
   * cgo binaries also hold units that gcc compiled (runtime/cgo's C files), DWARF 5 with gcc 11+:
   * x_cgo_init(G *g, void (*setg)(void*), void **tlsg, void **tlsbase) arrives in the SysV
   * registers (DWARF numbers: RDI 5, RSI 4, RDX 1, RCX 2).
   */
  @TestFactory
  Stream<DynamicTest> cgoUnitsFromGccAreRead() {
    return TestBinaries.where(b -> b.program().equals("cgo") && b.arch().equals("amd64")
            && !b.isStripped()).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          GoDwarf d = dwarf(b);
          assertTrue(d.unitVersions().containsKey(goDwarfVersion(b)), d.unitVersions().toString());
          assertTrue(d.function("main.main").isPresent(), "Go's units are read beside gcc's");
          Subprogram init = d.function("x_cgo_init").orElseThrow();
          assertEquals(List.of("g", "setg", "tlsg", "tlsbase"), init.params().stream().map(Param::name).toList());
          assertEquals(List.of(5, 4, 1, 2), init.params().stream()
              .map(p -> ((Place.Register) p.placeAt(init.lowPc()).orElseThrow()).dwarfRegister()).toList());
          GoType.Struct g = assertInstanceOf(GoType.Struct.class,
              ((GoType.Pointer) init.params().get(0).type()).elem().orElseThrow().get().underlying());
          assertEquals(List.of("stacklo", "stackhi"), g.fields().stream().map(GoType.Field::name).toList());
        }));
  }

  @TestFactory
  Stream<DynamicTest> everyBinaryIndexesWithoutError() {
    return TestBinaries.where(b -> !b.isStripped()).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          GoDwarf d = dwarf(b);
          assertTrue(d.functions().size() > 1000, "functions: " + d.functions().size());
          assertTrue(d.function("main.main").isPresent());
          assertTrue(d.gLayout().isPresent());
        }));
  }
}
