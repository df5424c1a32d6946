package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Exit codes" table is the {@link ExitCode} enum: same codes, same meanings, same order. */
class ReadmeExitCodesTest {
  @Test
  void readmeTableIsTheEnum() throws Exception {
    Path readme = TestBinaries.repoRoot().resolve("README.md");
    List<String> lines = Files.readAllLines(readme);
    int heading = lines.indexOf("## Exit codes");
    assertTrue(heading >= 0, readme + " has no '## Exit codes' section");
    int start = heading + 1;
    while (start < lines.size() && !lines.get(start).startsWith("|")) {
      start++;
    }
    int end = start;
    while (end < lines.size() && lines.get(end).startsWith("|")) {
      end++;
    }
    String table = String.join("\n", lines.subList(start, end)) + "\n";
    assertEquals(ExitCode.markdownTable(), table,
        "README.md's exit-code table differs from ExitCode; paste ExitCode.markdownTable() there");
  }
}
