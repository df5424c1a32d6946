package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GoBinary finds DWARF in the binary or in a separate debug file, and not in stripped ones. */
class DwarfWiringTest {

  @Test
  void unstrippedBinaryHasParametersFromItsOwnDwarf() throws Exception {
    try (GoBinary bin = GoBinary.open(TestBinaries.demoServer())) {
      GoDwarf d = bin.dwarf().orElseThrow();
      Subprogram f = d.function("main.prepareAnswer").orElseThrow();
      assertEquals(List.of("name", "year", "status"),
          f.inputs().stream().map(p -> p.name()).toList());
      assertTrue(bin.debugFile().isEmpty());
      assertTrue(d.gLayout().isPresent());
    }
  }

  /**
   * A .debug_info whose compressed bytes do not inflate reads as no DWARF, with the reason kept
   * for a note: pclntab and runtime.g's layout (from its type descriptor) still work.
   */
  @Test
  void damagedDebugInfoReadsAsAbsentWithTheReason() throws Exception {
    Path path = TestBinaries.get("go1.24", "amd64", "default", "server").path();
    byte[] image = Files.readAllBytes(path);
    long at;
    try (ElfFile elf = ElfFile.open(path)) {
      var info = elf.section(".debug_info").orElseThrow();
      assertTrue(info.isCompressed(), "Go compresses its DWARF");
      at = info.offset() + info.size() / 2;
    }
    java.util.Arrays.fill(image, (int) at, (int) at + 256, (byte) 0xff);
    try (GoBinary bin = GoBinary.of(image, path)) {
      assertTrue(bin.hasDwarf());
      assertEquals(Optional.empty(), bin.dwarfProblem(), "nothing read yet");
      assertEquals(Optional.empty(), bin.dwarfFor(List.of()));
      String problem = bin.dwarfProblem().orElseThrow();
      assertTrue(problem.startsWith("decoding .debug_info at 0x") && problem.contains("zlib"), problem);
      assertEquals(Optional.empty(), bin.dwarf());
      assertTrue(bin.gLayout().known().isPresent());
      assertFalse(bin.gLayout().fromDwarf());
      assertTrue(bin.function("main.prepareAnswer").isPresent());
    }
    try (GoBinary intact = GoBinary.open(path)) {
      assertTrue(intact.dwarfFor(List.of()).isPresent());
      assertEquals(Optional.empty(), intact.dwarfProblem());
    }
  }

  /** -s -w (stripped, distro): no DWARF in the binary, none found elsewhere, no debug file. */
  @Test
  void strippedBinaryHasNone() throws Exception {
    List<TestBinary> stripped = TestBinaries.where(TestBinary::isStripped);
    assertTrue(stripped.size() >= 2, stripped.toString());
    for (TestBinary b : stripped) {
      try (GoBinary bin = GoBinary.open(b.path())) {
        assertFalse(bin.hasDwarf(), b.label());
        assertEquals(Optional.empty(), bin.dwarf(), b.label());
        assertEquals(Optional.empty(), bin.debugFile(), b.label());
      }
    }
  }

  @Test
  void separateDebugFileIsFoundByBuildId(@TempDir Path dir) throws Exception {
    Path original = TestBinaries.demoServer();
    Path debug = dir.resolve("server.debug");
    Path stripped = dir.resolve("server");
    run("objcopy", "--only-keep-debug", original.toString(), debug.toString());
    run("objcopy", "--strip-debug", original.toString(), stripped.toString());
    try (ElfFile elf = ElfFile.open(stripped)) {
      String id = elf.gnuBuildId().orElseThrow();
      Path root = dir.resolve("debugroot");
      Path target = root.resolve(".build-id").resolve(id.substring(0, 2))
          .resolve(id.substring(2) + ".debug");
      Files.createDirectories(target.getParent());
      Files.copy(debug, target);
      assertFalse(DwarfLoader.has(elf));
      DwarfLoader.Loaded loaded = DwarfLoader.load(stripped, elf, root).orElseThrow();
      try {
        assertEquals(target, loaded.debugFile().orElseThrow().path());
        assertTrue(loaded.units().all().function("main.prepareAnswer").isPresent());
      } finally {
        loaded.debugFile().get().close();
      }
      assertEquals(Optional.empty(), DwarfLoader.load(stripped, elf, dir.resolve("empty")));
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
  }
}
