package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * On every amd64 build: the wrapper of {@code go worker(i, &wg, results)} in main.spawn resolves
 * to main.worker (Go 1.17+; Go 1.15 launches main.worker itself), and the server's checkSite
 * closure, a user's function literal, is not taken for a wrapper.
 */
class GoWrappersTest {
  @TestFactory
  Stream<DynamicTest> spawnWrapperCallsWorker() {
    return TestBinaries.where(t -> t.arch().equals("amd64") && t.program().equals("workload")).stream()
        .map(t -> DynamicTest.dynamicTest(t.toString(), () -> check(t)));
  }

  static void check(TestBinary t) throws Exception {
    try (GoBinary b = GoBinary.open(t.path())) {
      List<GoFunc> inSpawn = b.functions(NamePattern.parse("main.spawn.*"));
      if (t.goMinor() < 17) {
        assertTrue(inSpawn.isEmpty(), inSpawn.toString());
        GoFunc worker = b.function("main.worker").orElseThrow();
        assertEquals(Optional.empty(), GoWrappers.target(b, worker.entry()));
        return;
      }
      assertEquals(1, inSpawn.size(), inSpawn.toString());
      assertTrue(inSpawn.get(0).name().matches(t.goMinor() >= 22 ? "main\\.spawn\\.gowrap1" : "main\\.spawn\\.func1"),
          inSpawn.get(0).name());
      assertEquals(Optional.of("main.worker"), GoWrappers.target(b, inSpawn.get(0).entry()));
      assertEquals(Optional.empty(), GoWrappers.target(b, inSpawn.get(0).entry() + 1), "not an entry");
    }
    TestBinary server = TestBinaries.get(t.series(), "amd64", t.variant(), "server");
    try (GoBinary b = GoBinary.open(server.path())) {
      GoFunc closure = b.function("main.checkSite.func1").orElseThrow();
      assertEquals(Optional.empty(), GoWrappers.target(b, closure.entry()));
    }
  }
}
