package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash completion script, loaded in a real bash: source it, set COMP_WORDS and COMP_CWORD as
 * bash does, call the completion function and read COMPREPLY.
 */
class CompletionTest {
  @TempDir Path tmp;
  private Path script;

  @BeforeEach
  void writeScript() throws IOException {
    CliRun r = CliRun.of("completion", "bash");
    assertEquals(0, r.exitCode(), r.err());
    script = tmp.resolve("gotrace.bash");
    Files.writeString(script, r.out());
    // a gotrace on PATH, as the installed command would be, for the function names
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path gotrace = bin.resolve("gotrace");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(gotrace, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
        + Main.class.getName() + " \"$@\"\n");
    Files.setPosixFilePermissions(gotrace, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** What bash offers for the last word of {@code words} (the first is "gotrace"). */
  private List<String> completeWithPath(String pathDir, String... words) throws Exception {
    StringBuilder sh = new StringBuilder("source '" + script + "'\nCOMP_WORDS=(");
    for (String w : words) {
      sh.append('\'').append(w.replace("'", "'\\''")).append("' ");
    }
    sh.append(")\nCOMP_CWORD=").append(words.length - 1).append('\n')
        .append("COMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n")
        .append("_complete_gotrace gotrace \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n")
        .append("printf '%s\\n' \"${COMPREPLY[@]}\"\n");
    ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", sh.toString())
        .directory(TestBinaries.repoRoot().toFile());
    pb.environment().put("PATH", pathDir + ":" + System.getenv("PATH"));
    pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    List<String> got = new ArrayList<>(out.lines().filter(l -> !l.isEmpty()).toList());
    got.sort(null);
    return got;
  }

  private List<String> complete(String... words) throws Exception {
    return completeWithPath(tmp.resolve("bin").toString(), words);
  }

  @Test
  void subcommands() throws Exception {
    assertEquals(List.of("latency", "list"), complete("gotrace", "l"));
    assertEquals(List.of("goroutines"), complete("gotrace", "gor"));
    assertTrue(complete("gotrace", "").containsAll(List.of("args", "completion", "demo", "funcs", "goroutines",
        "info", "latency", "list", "serve", "top")));
  }

  @Test
  void optionsOfEachCommand() throws Exception {
    assertEquals(List.of("--interval"), complete("gotrace", "top", "--int"));
    assertEquals(List.of("--count"), complete("gotrace", "funcs", "--co"));
    assertEquals(List.of("--jfr", "--json"), complete("gotrace", "args", "--j"));
    assertEquals(List.of("--exits"), complete("gotrace", "goroutines", "--ex"));
    assertTrue(complete("gotrace", "latency", "--").containsAll(List.of("--calls", "--min", "--by-site", "--jfr")));
  }

  @Test
  void aBinaryThenItsFunctionNamesCachedPerBinary() throws Exception {
    assertEquals(List.of("testdata/bin/server"), complete("gotrace", "funcs", "testdata/bin/se"));
    List<String> expected = List.of("main.checkSite", "main.checkSite.func1");
    assertEquals(expected, complete("gotrace", "funcs", "testdata/bin/server", "main.check"));
    assertEquals(List.of("main.prepareAnswer"), complete("gotrace", "top", "testdata/bin/server", "--interval", "2s",
        "main.prep"));
    // the second time from the cache: no gotrace on PATH needed
    assertEquals(expected, completeWithPath(tmp.resolve("nowhere").toString(), "gotrace", "latency", "testdata/bin/server",
        "main.check"));
    // an option's value is not a function
    assertEquals(List.of(), complete("gotrace", "funcs", "testdata/bin/server", "--count", "main."));
  }
}
