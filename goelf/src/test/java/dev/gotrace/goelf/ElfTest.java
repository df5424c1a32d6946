package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.goelf.io.ByteCursor;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ELF layer against GNU binutils and the Go toolchain. */
class ElfTest {
  static List<TestBinary> all() {
    return TestBinaries.all();
  }

  /** One binary per series: compressed DWARF as .zdebug_* (older Go) or SHF_COMPRESSED (newer). */
  static List<TestBinary> withDwarf() {
    return TestBinaries.where(t -> t.arch().equals("amd64") && t.variant().equals("default")
        && t.program().equals("workload"));
  }

  /** Decompressed .debug_info equals what objcopy --decompress-debug-sections writes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("withDwarf")
  void compressedSectionsMatchObjcopy(TestBinary t, @TempDir Path dir) throws Exception {
    GoBinary b = Oracles.open(t);
    assertTrue(b.hasDwarf());
    String name = b.elf().section(".zdebug_info").isPresent() ? ".zdebug_info" : ".debug_info";
    Section s = b.elf().section(name).orElseThrow();
    assertTrue(name.startsWith(".zdebug") || s.isCompressed(), "Go compresses its DWARF");
    ByteCursor ours = b.section(name).orElseThrow();
    Path plain = dir.resolve("plain");
    Oracles.run(List.of("objcopy", "--decompress-debug-sections", t.path().toString(), plain.toString()), false);
    try (ElfFile e = ElfFile.open(plain)) {
      Section d = e.section(".debug_info").orElseThrow();
      assertFalse(d.isCompressed());
      ByteCursor theirs = e.sectionData(d);
      assertEquals(theirs.size(), ours.size());
      assertArrayEquals(theirs.bytesAt(0, theirs.size()), ours.bytesAt(0, ours.size()));
    }
  }

  /** Go's build ID note equals what {@code go tool buildid} prints; GNU build-id where present. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void buildIds(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    String want = Oracles.run(List.of(Oracles.goCommand(t).toString(), "tool", "buildid", t.path().toString()), false).trim();
    assertEquals(want, b.elf().goBuildId().orElseThrow());
    String notes = Oracles.run(List.of("readelf", "-n", t.path().toString()), false);
    int at = notes.indexOf("Build ID: ");
    if (at >= 0) {
      String gnu = notes.substring(at + "Build ID: ".length()).split("\\s")[0];
      assertEquals(gnu, b.elf().gnuBuildId().orElseThrow());
    } else {
      assertTrue(b.elf().gnuBuildId().isEmpty());
    }
  }

  /** fileOffset and readAt agree with the bytes objdump shows at main.main and runtime.main. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void fileOffsetsAndImageReads(TestBinary t) throws Exception {
    GoBinary b = Oracles.open(t);
    GoFunc f = b.function("main.main").orElseThrow();
    long off = b.fileOffset(f.entry()).orElseThrow();
    byte[] atOffset = b.elf().bytes().bytesAt(off, 24);
    assertArrayEquals(atOffset, b.readAt(f.entry(), 24));
    assertArrayEquals(Oracles.objdumpBytes(t.path(), f.entry(), 24), atOffset);
    assertEquals(f.entry(), b.elf().vaddr(off).orElseThrow());
    assertEquals(t.isStripped(), b.isStripped());
    assertEquals(!t.isStripped(), b.hasDwarf());
    assertEquals(t.isExternallyLinked() || t.program().equals("cgo"), b.isExternallyLinked());
  }
}
