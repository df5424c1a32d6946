package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.dwarf.GoType;
import dev.gotrace.goelf.dwarf.PackageVariable;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Package variables from DWARF, checked against readelf's symbol table (an independent reading
 * of the addresses) and the Go source of testdata/go/look (the types).
 */
class PackageVariablesTest {
  @TestFactory
  Stream<DynamicTest> lookGlobalsEverySeries() {
    return TestBinaries.where(b -> b.program().equals("look") && !b.isStripped()).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> check(b)));
  }

  private static void check(TestBinary t) throws Exception {
    Map<String, Long> symbols = symbols(t);
    try (GoBinary bin = GoBinary.open(t.path())) {
      assertTrue(bin.packagePaths().contains("main"), bin.packagePaths().toString());
      Map<String, PackageVariable> vars = bin.packageVariables("main").stream()
          .collect(Collectors.toMap(PackageVariable::name, v -> v, (a, b) -> a));
      for (String name : List.of("main.requests", "main.cfg", "main.sink", "main.calls")) {
        PackageVariable v = vars.get(name);
        assertTrue(v != null, name + " in " + vars.keySet());
        assertEquals(symbols.get(name), v.address().getAsLong(), name);
        assertEquals("main", v.packagePath());
      }
      assertEquals("int64", vars.get("main.requests").type().name());
      assertEquals("requests", vars.get("main.requests").shortName());
      GoType.Struct cfg = (GoType.Struct) vars.get("main.cfg").type().underlying();
      assertEquals(List.of("Mode", "Limit"), cfg.fields().stream().map(GoType.Field::name).toList());
    }
  }

  @Test
  void pieWorkloadGlobalsAtLinkAddresses() throws Exception {
    TestBinary t = TestBinaries.get("go1.24", "amd64", "pie", "workload");
    Map<String, Long> symbols = symbols(t);
    try (GoBinary bin = GoBinary.open(t.path())) {
      assertTrue(bin.isPie());
      PackageVariable v = bin.packageVariables("main").stream().filter(x -> x.name().equals("main.cRecurse"))
          .findFirst().orElseThrow();
      assertEquals(symbols.get("main.cRecurse"), v.address().getAsLong());
      assertEquals("*main.counter", v.type().name());
    }
  }

  @Test
  void strippedHasNone() throws Exception {
    TestBinary t = TestBinaries.get("go1.24", "amd64", "stripped", "workload");
    try (GoBinary bin = GoBinary.open(t.path())) {
      assertEquals(List.of(), bin.packagePaths());
      assertEquals(List.of(), bin.packageVariables("main"));
    }
  }

  /** name → value of every OBJECT symbol, from readelf. */
  private static Map<String, Long> symbols(TestBinary t) {
    String out = Oracles.run(List.of("readelf", "-s", "-W", t.path().toString()), false);
    return out.lines().map(String::trim).map(l -> l.split("\\s+")).filter(f -> f.length >= 8 && f[3].equals("OBJECT"))
        .collect(Collectors.toMap(f -> f[7], f -> Long.parseUnsignedLong(f[1], 16), (a, b) -> a));
  }
}
