package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a file under {@code cli/src/test/resources/golden}. Run the tests with
 * {@code -Dgotrace.updateGolden=true} to rewrite the files after an intended change, then review
 * the diff.
 */
final class Golden {
  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    Path file = TestBinaries.repoRoot().resolve("cli/src/test/resources/golden").resolve(name);
    if (Boolean.getBoolean("gotrace.updateGolden")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "output differs from " + file + " (rerun with -Dgotrace.updateGolden=true if intended)");
  }
}
