package dev.gotrace.goelf.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.arch.Arch;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged input: random bytes as function bodies, random lengths (arm64 ones not a multiple of
 * four included) and a reader returning random words. The analysis must return a result, never
 * throw, and every site it reports must be an instruction boundary inside the function.
 */
class RandomFunctionsTest {
  @ParameterizedTest
  @EnumSource(Arch.class)
  void neverThrowsAndSitesAreBoundaries(Arch arch) {
    Random rnd = new Random(arch.ordinal());
    MemoryReader junk = new MemoryReader() {
      @Override
      public long readWord(long vaddr, int size) {
        return 0x400000 + (vaddr * 31 & 0xff);
      }

      @Override
      public byte[] read(long vaddr, int n) {
        return new byte[n];
      }
    };
    SiteAnalyzer analyzer = new SiteAnalyzer(arch, junk);
    int decoded = 0;
    for (int k = 0; k < 20_000; k++) {
      byte[] code = new byte[rnd.nextInt(64)];
      rnd.nextBytes(code);
      long entry = 0x400000;
      FunctionSites s = analyzer.analyze(new FunctionCode("r" + k, entry, entry + code.length, code));
      if (s.status() == SiteStatus.UNDECODABLE) {
        assertEquals(0, s.boundaries().count());
        continue;
      }
      decoded++;
      assertTrue(s.isInstructionBoundary(s.probeEntry().orElseThrow()));
      for (ExitSite e : s.exits()) {
        assertTrue(s.isInstructionBoundary(e.address()), () -> "exit " + e);
      }
      for (JumpTable t : s.jumpTables()) {
        t.targets().forEach(x -> assertTrue(s.isInstructionBoundary(x)));
      }
    }
    assertTrue(decoded > 0, "some random functions decode");
  }
}
