package dev.gotrace.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gotrace.testdata.TestBinaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code go tool pprof -top} of the cached Go 1.27 toolchain, the independent reader of gotrace's
 * pprof files (GOROOT set to the toolchain, GOTOOLCHAIN=local; pprof is built on first use into the
 * cache's GOCACHE, which takes a minute once).
 */
public final class PprofTop {
  private PprofTop() {}

  /** One row of {@code -top}: flat and cumulative values (in ns for time: {@code -unit=ns}). */
  public record Row(long flat, long cum) {}

  private static final Pattern ROW = Pattern.compile(
      "^\\s*(\\d+)(?:ns)?\\s+\\S+%\\s+\\S+%\\s+(\\d+)(?:ns)?\\s+\\S+%\\s+(.+?)\\s*$");

  /** The toolchain's go command; skips off CI (fails under CI) when it is not cached. */
  public static Path goCommand() {
    Path go = TestBinaries.cacheDir().resolve("toolchains/go1.27/usr/lib/go-1.27/bin/go");
    if (!Files.isExecutable(go)) {
      if (TestBinaries.inCi()) {
        fail("no Go 1.27 toolchain at " + go + ": run testdata/build.sh");
      }
      Assumptions.abort("skipped: no Go 1.27 toolchain at " + go + " (run testdata/build.sh)");
    }
    return go;
  }

  /** Rows by function name, of sample type {@code index}. */
  public static Map<String, Row> run(Path file, String index) throws Exception {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : raw(file, index).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.put(m.group(3), new Row(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
      }
    }
    return rows;
  }

  /** The text of {@code go tool pprof -top}, {@code index} null for the profile's default sample type. */
  public static String raw(Path file, String index) throws Exception {
    Path go = goCommand();
    List<String> cmd = new ArrayList<>(List.of(go.toString(), "tool", "pprof", "-top", "-nodecount=1000"));
    if (index != null) {
      cmd.add("-sample_index=" + index);
    }
    if ("time".equals(index)) {
      cmd.add("-unit=ns");
    }
    cmd.add(file.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path goroot = go.getParent().getParent();
    pb.environment().put("GOROOT", goroot.toString());
    pb.environment().put("GOTOOLCHAIN", "local");
    pb.environment().put("GOFLAGS", "");
    pb.environment().put("GOCACHE", TestBinaries.cacheDir().resolve("gocache").toString());
    pb.environment().put("PPROF_TMPDIR", file.getParent().toString());
    pb.environment().put("HOME", file.getParent().toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("go tool pprof timed out");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text;
  }
}
