package dev.gotrace.goelf.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stripped binaries have no symbols and no DWARF, only the pclntab: through {@code GoBinary}
 * they must give exactly the probe sites of their unstripped twin (same toolchain, same code):
 * default for stripped, extlink for distro (whose -trimpath moves data, not code).
 */
class StrippedSitesTest {
  static Stream<TestBinary> stripped() {
    return TestBinaries.where(TestBinary::isStripped).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stripped")
  void sameSitesAsTheUnstrippedTwin(TestBinary s) throws Exception {
    TestBinary twin = TestBinaries.twin(s);
    try (GoBinary a = GoBinary.open(s.path()); GoBinary b = GoBinary.open(twin.path())) {
      assertTrue(a.isStripped());
      List<GoFunc> fa = a.functions();
      List<GoFunc> fb = b.functions();
      assertEquals(fb.size(), fa.size());
      int ok = 0;
      for (int i = 0; i < fa.size(); i++) {
        GoFunc x = fa.get(i);
        GoFunc y = fb.get(i);
        assertEquals(y.name(), x.name());
        assertEquals(y.entry(), x.entry(), x.name());
        FunctionSites sx = a.sites(x);
        FunctionSites sy = b.sites(y);
        assertEquals(sy.status(), sx.status(), x.name());
        assertEquals(sy.probeEntry(), sx.probeEntry(), x.name());
        assertEquals(sy.exits(), sx.exits(), x.name());
        assertEquals(sy.tlsGOffset(), sx.tlsGOffset(), x.name());
        if (sx.status() == SiteStatus.OK) {
          ok++;
        }
      }
      assertTrue(ok > fa.size() * 9 / 10, ok + " of " + fa.size() + " functions have sites");
    }
  }
}
