package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.SupportedGo;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What gotrace says it supports is said in one place, {@link SupportedGo}: the README's
 * supported-versions statement and the refusal of an unknown pclntab magic both come from it;
 * the refusal of another architecture's binary is true about what gotrace does with it.
 */
class SupportedGoTest {
  /** The Go 1.20+ pcHeader: magic 0xfffffff1, two zero pad bytes, instruction quantum 1, pointer size 8. */
  private static final byte[] HEADER_120 = {(byte) 0xf1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 1, 8};

  @Test
  void readmeStatesTheSupportedVersionsOfSupportedGo() throws Exception {
    String readme = Files.readString(TestBinaries.repoRoot().resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Supported Go versions and architectures"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    assertTrue(section.contains("gotrace reads " + SupportedGo.statement() + "."),
        "README's 'Supported Go versions' must say: gotrace reads " + SupportedGo.statement() + ".");
    assertTrue(section.contains("Before Go 1." + SupportedGo.OLDEST_MINOR + ": refused with exit code "
        + ExitCode.UNSUPPORTED.code()), section);
  }

  @Test
  void anUnknownPclntabMagicNamesWhatIsRead(@TempDir Path dir) throws Exception {
    byte[] image = Files.readAllBytes(TestBinaries.demoServer());
    int at = indexOf(image, HEADER_120);
    assertTrue(at > 0, "the demo server (Go 1.20+) has its pcHeader");
    image[at] = (byte) 0xf9; // 0xfffffff9: no Go release wrote it
    Path damaged = dir.resolve("server");
    Files.write(damaged, image);
    CliRun r = CliRun.of("info", damaged.toString());
    assertEquals(ExitCode.UNSUPPORTED.code(), r.exitCode(), r.err());
    String first = r.err().lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("gotrace: ") && first.contains("pclntab magic 0xfffffff9 is not one gotrace reads (it reads "
        + SupportedGo.statement() + ", pclntab magics 0xfffffffb, 0xfffffffa, 0xfffffff0, 0xfffffff1)"), first);
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void anArm64BinaryIsToldWhatGotraceDoesWithIt() {
    Path arm = TestBinaries.get("go1.24", "arm64", "default", "server").path();
    CliRun r = CliRun.of("funcs", arm.toString(), "main.handler");
    assertEquals(ExitCode.UNSUPPORTED.code(), r.exitCode(), r.err());
    String[] lines = r.err().split("\n");
    assertEquals("gotrace: " + arm + " is an arm64 binary; this machine is amd64", lines[0]);
    assertEquals("hint: live tracing is amd64 only (an amd64 binary on an amd64 machine); 'gotrace info' and"
        + " 'gotrace list --sites' read arm64 binaries", lines[1]);
    assertEquals(0, CliRun.of("list", arm.toString(), "main.handler", "--sites").exitCode(), "as the hint says");
    assertEquals(ExitCode.UNSUPPORTED.code(), CliRun.of("goroutines", arm.toString()).exitCode());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
