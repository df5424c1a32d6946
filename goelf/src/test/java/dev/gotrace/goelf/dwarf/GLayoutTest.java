package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * runtime.g offsets from DWARF against two independent routes: the per-version table
 * {@link KnownGLayouts} that DWARF-less binaries use (derived from runtime/runtime2.go of each
 * version, checked with gdb and Go's debug/dwarf), and gdb's own {@code ptype/o struct runtime.g}
 * on x86 binaries.
 */
class GLayoutTest {
  private static GLayout table(String series, String arch) {
    GoVersion v = GoVersion.parse(series).orElseThrow();
    return KnownGLayouts.forVersion(v, Arch.fromGoArch(arch).orElseThrow()).orElse(null);
  }

  @Test
  void tableCoversEverySeriesAndArch() {
    for (String series : List.of("go1.15", "go1.19", "go1.22", "go1.24", "go1.25", "go1.26", "go1.27")) {
      for (String arch : List.of("amd64", "arm64", "386")) {
        GLayout g = table(series, arch);
        assertTrue(g != null, series + "/" + arch);
        long w = arch.equals("386") ? 4 : 8;
        assertEquals(0, g.stackLo());
        assertEquals(w, g.stackHi());
      }
    }
    // runtime/runtime2.go: go1.23 added g.syscallbp before goid, moving it one word.
    assertEquals(152, table("go1.22", "amd64").goid());
    assertEquals(160, table("go1.24", "amd64").goid());
    assertEquals(84, table("go1.24", "386").goid());
    // go1.25 dropped gobuf.ret from g.sched, moving goid back one word.
    assertEquals(152, table("go1.25", "amd64").goid());
    assertEquals(152, table("go1.27", "arm64").goid());
    assertEquals(80, table("go1.27", "386").goid());
  }

  @Test
  void tableRefusesVersionsItDoesNotKnow() {
    assertTrue(table("go1.14", "amd64") == null);
    assertTrue(table("go1.28", "amd64") == null);
    assertTrue(table("go1.99", "amd64") == null);
    assertTrue(KnownGLayouts.forVersion(GoVersion.range(16, 17, "pclntab"), Arch.AMD64).isEmpty());
  }

  /** stripped (-s -w) and distro (-s -w, external link) builds have no DWARF. */
  static boolean hasDwarf(TestBinary b) {
    return !b.variant().equals("stripped") && !b.variant().equals("distro");
  }

  /** Every binary of the matrix with DWARF: its runtime.g agrees with the table for its version. */
  @TestFactory
  Stream<DynamicTest> dwarfMatchesTable() {
    return TestBinaries.where(GLayoutTest::hasDwarf).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          GLayout expected = table(b.series(), b.arch());
          assertTrue(expected != null, "table lacks " + b.series() + "/" + b.arch());
          assertEquals(expected, GoBinariesDwarfTest.dwarf(b).gLayout().orElseThrow());
        }));
  }

  /** A gdb {@code ptype/o} member line: "/*    160      |       8 *&#47;    uint64 goid;". */
  private static final Pattern GDB_FIELD =
      Pattern.compile("^/\\*\\s+(\\d+)\\s+\\|\\s+\\d+\\s+\\*/\\s+.*?[\\s*](\\w+);$");

  /** gdb reads Go DWARF too; on x86 hosts it opens amd64 and 386 binaries. */
  @TestFactory
  Stream<DynamicTest> dwarfMatchesGdb() {
    return TestBinaries.where(b -> hasDwarf(b) && !b.arch().equals("arm64")
            && b.program().equals("server")).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          Map<String, Long> top = gdbOffsets(b);
          GLayout g = GoBinariesDwarfTest.dwarf(b).gLayout().orElseThrow();
          assertEquals(top.get("goid"), g.goid(), "goid");
          assertEquals(top.get("m"), g.m(), "m");
          assertEquals(top.get("sched"), g.sched(), "sched");
          assertEquals(top.get("stack"), g.stackLo(), "stack");
        }));
  }

  /** Field offsets of runtime.g as gdb prints them; gdb does not expand named member types. */
  static Map<String, Long> gdbOffsets(TestBinary b) throws IOException {
    String out = ObjcopySections.run(List.of("gdb", "-nx", "-batch", "-ex", "set language c",
        "-ex", "ptype/o struct 'runtime.g'", b.path().toString()));
    Map<String, Long> m = new HashMap<>();
    for (String line : out.split("\n")) {
      Matcher mm = GDB_FIELD.matcher(line.trim());
      if (mm.matches()) {
        m.putIfAbsent(mm.group(2), Long.parseLong(mm.group(1)));
      }
    }
    assertTrue(m.containsKey("goid"), "gdb printed no goid:\n" + out);
    return m;
  }
}
