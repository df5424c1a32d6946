package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Exact signatures of the functions of {@code testdata/go/workload} as DWARF gives them in
 * every series and architecture: inputs by name and type name, results by type name (their
 * names are "~rN" with N counting from 0 since Go 1.18, from the number of inputs before).
 */
class WorkloadSignaturesTest {
  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("main.withString", "s string -> int");
    EXPECTED.put("main.withBytes", "b []uint8 -> int");
    EXPECTED.put("main.withInts", "xs []int -> int");
    EXPECTED.put("main.withStruct", "p main.Point -> main.Point");
    EXPECTED.put("main.withPointer", "p *main.Point -> int");
    EXPECTED.put("main.withInterface", "v fmt.Stringer -> string");
    EXPECTED.put("main.withError", "fail bool -> error");
    EXPECTED.put("main.withBool", "b bool -> bool");
    EXPECTED.put("main.withFloat", "x float64 -> float64");
    EXPECTED.put("main.multiResult", "a int, s string -> int, string, error");
    EXPECTED.put("main.manyArgs", String.join(", ", "abcdefghijkl".chars()
        .mapToObj(c -> (char) c + " int").toList()) + " -> int");
    EXPECTED.put("main.(*Counter).Inc", "c *main.Counter, by int -> int");
    EXPECTED.put("main.Point.Norm1", "p main.Point -> int");
    EXPECTED.put("main.makeAdder.func1", "x int -> int");
    EXPECTED.put("main.mayPanic", "i int -> error");
  }

  static String signature(Subprogram f) {
    return f.inputs().stream().map(p -> p.name() + " " + p.type().name()).collect(Collectors.joining(", "))
        + " -> " + f.results().stream().map(p -> p.type().name()).collect(Collectors.joining(", "));
  }

  @TestFactory
  Stream<DynamicTest> signatures() {
    return GoBinariesDwarfTest.withDwarf("workload").stream().map(b -> DynamicTest.dynamicTest(b.label(), () -> {
      GoDwarf d = GoBinariesDwarfTest.dwarf(b);
      Map<String, String> actual = new LinkedHashMap<>();
      for (String name : EXPECTED.keySet()) {
        actual.put(name, d.function(name).map(WorkloadSignaturesTest::signature).orElse("(missing)"));
      }
      assertEquals(EXPECTED, actual);
      long w = Words.of(b);
      // a named result keeps its name
      assertEquals("err", d.function("main.mayPanic").orElseThrow().results().get(0).name());
      GoType.Struct point = assertInstanceOf(GoType.Struct.class, d.typeNamed("main.Point").orElseThrow().underlying());
      assertEquals(List.of("X", "Y"), point.fields().stream().map(GoType.Field::name).toList());
      assertEquals(List.of(0L, w), point.fields().stream().map(GoType.Field::offset).toList());
      GoType.Interface stringer = assertInstanceOf(GoType.Interface.class,
          d.function("main.withInterface").orElseThrow().params().get(0).type()); // the alias typedef is gone
      assertFalse(stringer.empty());
      assertEquals(2 * w, stringer.size());
      GoType.Slice bytes = assertInstanceOf(GoType.Slice.class,
          d.function("main.withBytes").orElseThrow().params().get(0).type().underlying());
      assertEquals("uint8", bytes.elem().get().name());
      GoType.Pointer pp = assertInstanceOf(GoType.Pointer.class,
          d.function("main.withPointer").orElseThrow().params().get(0).type().underlying());
      assertEquals(point, pp.elem().orElseThrow().get());
      assertEquals(point, d.function("main.withStruct").orElseThrow().params().get(0).type());
      if (b.goMinor() >= 18) {
        List<String> generic = d.functions().stream().map(Subprogram::name)
            .filter(n -> n.startsWith("main.Map[") || n.startsWith("main.Sum[")).sorted().toList();
        assertTrue(generic.stream().anyMatch(n -> n.startsWith("main.Sum[go.shape.int")), generic.toString());
        assertTrue(generic.stream().anyMatch(n -> n.startsWith("main.Sum[go.shape.float64")), generic.toString());
        assertTrue(generic.stream().anyMatch(n -> n.startsWith("main.Map[go.shape.int")), generic.toString());
      }
      assertEquals(Collections.emptyList(), d.functions().stream().filter(f -> f.name().isEmpty()).toList());
    }));
  }
}
