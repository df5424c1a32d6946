package dev.gotrace.goelf.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.CorruptBinaryException;
import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisive test: for every function of every test binary, our instruction boundaries, RET
 * sites, out-of-function jumps and indirect jumps equal GNU objdump's, and the probe entry is the
 * instruction after the branch to the morestack call. With a symbol table, objdump's symbols
 * delimit the functions; without one (stripped, distro), the function table read from the
 * pclntab does, which MatrixTest proves equal to the unstripped twin's symbol table.
 */
class ObjdumpOracleTest {
  @TempDir static Path objdumpCache;

  @TestFactory
  Stream<DynamicTest> everyFunctionMatchesObjdump() {
    List<TestBinary> binaries = TestBinaries.where(b -> Arch.fromGoArch(b.arch()).isPresent());
    return binaries.stream().map(b -> DynamicTest.dynamicTest(b.label(), () -> check(b)));
  }

  /**
   * The twin distro is compared with (MatrixTest's oracle for its function table) is extlink,
   * built without -trimpath: that changes file names and so data addresses, and must not move
   * code. Over the whole of .text both list the same instructions at the same addresses.
   */
  @TestFactory
  Stream<DynamicTest> distroCodeLiesWhereExtlinksDoes() {
    return TestBinaries.where(b -> b.variant().equals("distro")).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          TestBinary twin = TestBinaries.twin(b);
          List<String> ours = Objdump.addressesAndMnemonics(Objdump.dump(b.path(), b.arch(), objdumpCache), true);
          List<String> theirs = Objdump.addressesAndMnemonics(Objdump.dump(twin.path(), twin.arch(), objdumpCache), true);
          assertTrue(ours.size() > 100_000, "instructions: " + ours.size());
          int differ = 0;
          String first = "";
          for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            if (!ours.get(i).equals(theirs.get(i))) {
              if (differ++ == 0) {
                first = ours.get(i) + " vs " + theirs.get(i);
              }
            }
          }
          assertEquals(theirs.size(), ours.size(), "instructions in .text of " + b + " and " + twin);
          assertEquals(0, differ, "first difference from " + twin + ": " + first);
          System.out.println(b.label() + ": " + ours.size() + " instructions at the places of " + twin.label());
        }));
  }

  private static void check(TestBinary b) throws Exception {
    Arch arch = Arch.fromGoArch(b.arch()).orElseThrow();
    boolean x86 = arch != Arch.ARM64;
    Path dump = Objdump.dump(b.path(), b.arch(), objdumpCache);
    ElfImage image = new ElfImage(b.path());
    SiteAnalyzer analyzer = new SiteAnalyzer(arch, image);
    OracleCheck oracle = new OracleCheck(x86);
    List<String> tlsProblems = new ArrayList<>();
    List<SiteStatus> goexit = new ArrayList<>();
    long expectedTls = arch == Arch.I386 ? -4 : -8;
    boolean tlsPrologues = arch == Arch.I386 || arch == Arch.AMD64 && !arch.registerAbi(b.goMinor());
    Consumer<Objdump.Function> each = f -> {
      if (f.end() < 0 || f.end() == f.start() || f.name().endsWith("buildid")) {
        return; // last symbol of .text (no end) or a marker; go:buildid is data
      }
      byte[] bytes;
      try {
        bytes = image.read(f.start(), (int) (f.end() - f.start()));
      } catch (CorruptBinaryException e) {
        oracle.mismatch(f, e.getMessage());
        return;
      }
      FunctionSites s = analyzer.analyze(new FunctionCode(f.name(), f.start(), f.end(), bytes));
      oracle.check(f, s);
      if (f.name().equals("runtime.goexit") || f.name().equals("runtime.goexit.abi0")) {
        goexit.add(s.status());
      }
      // Stack-ABI prologues load g through FS/GS: g is at FS-8 (amd64) / [GS:0]-4 (386) on linux.
      boolean tlsOk = tlsPrologues && s.stackCheck()
          ? s.tlsGOffset().orElse(0) == expectedTls
          : s.tlsGOffset().isEmpty() || s.tlsGOffset().getAsLong() == expectedTls;
      if (!tlsOk || arch == Arch.ARM64 && s.tlsGOffset().isPresent()) {
        tlsProblems.add(f.name() + ": tls " + s.tlsGOffset());
      }
    };
    if (b.isStripped()) {
      try (GoBinary bin = GoBinary.open(b.path())) {
        assertTrue(bin.isStripped());
        Objdump.forEachSpan(dump, x86, bin.functions().stream()
            .map(f -> new Objdump.Span(f.name(), f.entry(), f.end())).toList(), each);
      }
    } else {
      Objdump.forEachFunction(dump, x86, each);
    }
    System.out.println(b.label() + ": " + oracle.summary());
    oracle.mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
    System.out.println("  undecodable (no sites): " + oracle.undecodableNames);
    System.out.println("  conditional branches out of the function: " + oracle.conditionalOut);
    assertEquals(List.of(), oracle.mismatches, b.label() + ": " + oracle.summary());
    assertEquals(List.of(), tlsProblems.subList(0, Math.min(10, tlsProblems.size())));
    assertTrue(oracle.functions > 1000, "too few functions: " + oracle.summary());
    assertEquals(List.of(SiteStatus.NO_EXIT), goexit, "runtime.goexit never returns");
    assertTrue(oracle.stackChecks > oracle.functions / 2, "most Go functions check the stack");
    if (arch != Arch.I386 && b.goMinor() >= 19) {
      assertTrue(oracle.tables > 0, "Go >= 1.19 compiles some runtime switches to jump tables");
    }
  }
}
