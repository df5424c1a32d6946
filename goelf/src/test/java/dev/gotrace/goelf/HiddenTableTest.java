package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.pclntab.PclntabLocator;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Binaries whose pclntab has neither a section nor symbols (as in stripped PIEs and some
 * externally linked binaries): renaming the section and the symbols in a copy of a matrix binary
 * forces the header scan and the moduledata scan, whose results must equal the original's.
 */
class HiddenTableTest {
  /** Internally linked (default, pie) and externally linked without symbols (distro). */
  static List<TestBinary> samples() {
    return TestBinaries.where(t -> t.program().equals("workload")
        && List.of("default", "pie", "distro").contains(t.variant()));
  }

  /** Replaces every occurrence of {@code from} (NUL-terminated) by the same name with its last letter changed. */
  private static int hide(byte[] image, String name) {
    byte[] from = (name + "\0").getBytes(StandardCharsets.UTF_8);
    int n = 0;
    outer:
    for (int i = 0; i + from.length <= image.length; i++) {
      for (int k = 0; k < from.length; k++) {
        if (image[i + k] != from[k]) {
          continue outer;
        }
      }
      image[i + from.length - 2] = 'Q';
      n++;
    }
    return n;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void scanFindsTheSameTableAndModuleData(TestBinary t) throws Exception {
    GoBinary original = Oracles.open(t);
    byte[] image = Files.readAllBytes(t.path());
    for (String name : List.of(".gopclntab", ".go.module", ".go.func", "runtime.pclntab", "runtime.epclntab", "go:func.*", "go.func.*",
        "runtime.firstmoduledata", "runtime.text")) {
      hide(image, name);
    }
    try (GoBinary hidden = GoBinary.of(image, t.path())) {
      assertEquals(PclntabLocator.Source.SCAN, hidden.pclntabSource());
      assertEquals(original.pclntab().address(), hidden.pclntab().address());
      assertEquals(original.textStart(), hidden.textStart());
      assertEquals(original.functions(), hidden.functions());
      assertEquals(original.gofunc(), hidden.gofunc());
      int compared = 0;
      for (GoFunc f : original.functions()) {
        if (f.name().startsWith("main.") || compared < 300) {
          assertEquals(original.inlineTree(f), hidden.inlineTree(f), f.name());
          compared++;
        }
      }
      assertTrue(compared > 0);
    }
  }

  /** No section headers at all (as after sstrip): build info and pclntab come from the segments. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void noSectionHeaders(TestBinary t) throws Exception {
    GoBinary original = Oracles.open(t);
    byte[] image = Files.readAllBytes(t.path());
    boolean is64 = image[4] == 2;
    int shoff = is64 ? 40 : 32;
    int shnum = is64 ? 60 : 48;
    for (int i = 0; i < (is64 ? 8 : 4); i++) {
      image[shoff + i] = 0;
    }
    image[shnum] = image[shnum + 1] = image[shnum + 2] = image[shnum + 3] = 0; // e_shnum, e_shstrndx
    try (GoBinary bare = GoBinary.of(image, t.path())) {
      assertTrue(bare.elf().sections().isEmpty());
      assertEquals(PclntabLocator.Source.SCAN, bare.pclntabSource());
      assertEquals(original.functions(), bare.functions());
      assertEquals(original.buildInfo(), bare.buildInfo());
      assertEquals(original.goVersion(), bare.goVersion());
      assertEquals(original.gofunc(), bare.gofunc());
      GoFunc main = original.function("main.main").orElseThrow();
      assertEquals(original.inlineTree(main), bare.inlineTree(main));
      // Without section headers only notes inside PT_NOTE are visible; Go 1.24's PT_NOTE
      // covers the Go note but not the GNU one.
      if (bare.elf().gnuBuildId().isPresent()) {
        assertEquals(original.elf().gnuBuildId(), bare.elf().gnuBuildId());
      }
      assertEquals(original.elf().goBuildId(), bare.elf().goBuildId());
    }
  }
}
