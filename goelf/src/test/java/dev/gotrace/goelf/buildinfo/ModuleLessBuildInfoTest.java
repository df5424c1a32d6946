package dev.gotrace.goelf.buildinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.elf.Segment;
import dev.gotrace.testdata.TestBinaries;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A Go 1.15 program built outside a module (GOPATH mode) has no module information: the
 * linker leaves {@code runtime.modinfo}, the empty string, in .bss, so the build info's pointer
 * to it names memory that has no file bytes. The binary is still read, with an empty module.
 */
class ModuleLessBuildInfoTest {
  @Test
  void modinfoInBssReadsAsNoModule() throws Exception {
    Path path = TestBinaries.get("go1.15", "amd64", "default", "server").path();
    byte[] image = Files.readAllBytes(path);
    long infoAddr;
    long bss;
    try (GoBinary b = GoBinary.open(path)) {
      infoAddr = BuildInfoReader.locate(b.elf()).orElseThrow();
      Segment data = b.elf().segments().stream().filter(s -> s.isLoad() && s.isWritable() && s.memsz() > s.filesz())
          .findFirst().orElseThrow();
      bss = data.vaddr() + data.filesz() + 64; // zeros in memory, no file bytes
      // The second pointer of the header (after 16 bytes of magic and flags, then the version's)
      // names runtime.modinfo; point it at .bss, as a GOPATH build's does.
      long at = b.elf().fileOffset(infoAddr).orElseThrow() + 16 + 8;
      ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putLong((int) at, bss);
    }
    try (GoBinary b = GoBinary.of(image, path)) {
      BuildInfo bi = b.buildInfo().orElseThrow();
      assertEquals("go1.15.15", bi.goVersionText());
      assertEquals("", bi.path());
      assertTrue(bi.main().isEmpty(), bi.toString());
      assertEquals(15, b.goVersion().minor());
    }
  }
}
