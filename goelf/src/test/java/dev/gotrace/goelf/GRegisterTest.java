package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the code keeps g, as its prologues show it: the register ABI (Go 1.17+ on amd64) compares
 * SP with g.stackguard0 at 16(R14); the stack ABI loads g from thread-local storage first. The
 * expectation per version is the Go internal ABI's (R14 is the g register since Go 1.17).
 */
class GRegisterTest {
  static List<TestBinary> amd64() {
    return TestBinaries.where(t -> t.arch().equals("amd64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("amd64")
  void prologuesShowWhereGIs(TestBinary t) throws GoBinaryException {
    GoBinary b = Oracles.open(t);
    for (String name : List.of("runtime.main", "main.main")) {
      FunctionSites s = b.sites(b.function(name).orElseThrow());
      assertTrue(s.stackCheck(), name + " has a stack check");
      if (t.goMinor() >= 17) {
        assertEquals(OptionalLong.of(16), s.registerGStackGuard(), name + ": CMPQ SP, 16(R14)");
        assertTrue(s.tlsGOffset().isEmpty(), name + " loads no g from TLS");
      } else {
        assertTrue(s.registerGStackGuard().isEmpty(), name);
        assertTrue(s.tlsGOffset().isPresent(), name + " loads g from TLS");
      }
    }
  }
}
