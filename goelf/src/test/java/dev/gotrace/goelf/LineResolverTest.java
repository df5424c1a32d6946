package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.dwarf.GoDwarf;
import dev.gotrace.goelf.dwarf.Param;
import dev.gotrace.goelf.dwarf.Subprogram;
import dev.gotrace.goelf.lines.LineResolution;
import dev.gotrace.goelf.lines.LineResolver;
import dev.gotrace.goelf.lines.LineSite;
import dev.gotrace.goelf.lines.LineTarget;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.ExitSite;
import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Line resolution on the look program of every series, against two oracles from other parts of
 * the world: GNU objdump's instruction boundaries (each probe starts an instruction) and the Go
 * toolchain's own {@code go tool objdump}, which prints the file:line of every instruction (each
 * probe is on the line asked for, and the copy's code before it is not).
 */
class LineResolverTest {
  static Stream<DynamicTest> each(Check check) {
    return TestBinaries.where(b -> b.program().equals("look") && !b.isStripped()).stream()
        .map(b -> DynamicTest.dynamicTest(b.label(), () -> {
          try (GoBinary bin = GoBinary.open(b.path())) {
            check.run(b, bin);
          }
        }));
  }

  interface Check {
    void run(TestBinary b, GoBinary bin) throws Exception;
  }

  /** The line of the source marked {@code // marker}. */
  static int line(TestBinary b, String marker) throws IOException {
    List<String> src = Files.readAllLines(TestBinaries.sourcesOf(b).resolve("main.go"));
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).endsWith("// " + marker)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line marked " + marker);
  }

  static LineResolution resolve(GoBinary bin, String target) throws GoBinaryException {
    return new LineResolver(bin).resolve((LineTarget.FileLine) LineTarget.parse(target).orElseThrow());
  }

  /** GNU objdump's instruction starts in [from, to). */
  static Set<Long> objdumpStarts(TestBinary b, long from, long to) {
    String out = Oracles.run(List.of("objdump", "-d", "--no-show-raw-insn", "--start-address=0x" + Long.toHexString(from),
        "--stop-address=0x" + Long.toHexString(to), b.path().toString()), false);
    Set<Long> starts = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\s*([0-9a-f]+):\\s").matcher(out);
    while (m.find()) {
      starts.add(Long.parseUnsignedLong(m.group(1), 16));
    }
    return starts;
  }

  /** {@code go tool objdump}'s line of each instruction of {@code function}, by address. */
  static Map<Long, Integer> goLines(TestBinary b, String function) {
    String out = Oracles.run(List.of(Oracles.goCommand(b).toString(), "tool", "objdump", "-s",
        "^" + Pattern.quote(function) + "$", b.path().toString()), false);
    Map<Long, Integer> lines = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\\s+main\\.go:(\\d+)\\s+0x([0-9a-f]+)\\s").matcher(out);
    while (m.find()) {
      lines.put(Long.parseUnsignedLong(m.group(2), 16), Integer.parseInt(m.group(1)));
    }
    return lines;
  }

  /** Every site starts an instruction for GNU objdump and is on {@code line} for go tool objdump. */
  static void checkOracles(TestBinary b, LineSite s, int line) {
    assertTrue(objdumpStarts(b, s.host().entry(), s.host().end()).contains(s.pc()),
        b.label() + ": 0x" + Long.toHexString(s.pc()) + " is not an instruction start for GNU objdump");
    assertEquals(line, goLines(b, s.host().name()).get(s.pc()), b.label() + " " + s);
  }

  @TestFactory
  Stream<DynamicTest> theLoopBodyIsOneSiteInMainLoop() {
    return each((b, bin) -> {
      int line = line(b, "LOOP-BODY");
      LineResolution r = resolve(bin, "main.go:" + line);
      assertEquals(1, r.files().size(), r.files().toString());
      assertTrue(r.files().get(0).endsWith("/look/main.go"), r.files().toString());
      assertEquals(1, r.sites().size(), r.sites().toString());
      LineSite s = r.sites().get(0);
      assertEquals("main.loop", s.function());
      assertTrue(s.copy().isEmpty());
      checkOracles(b, s, line);
      assertEquals(r.sites(), resolve(bin, "look/main.go:" + line).sites(), "a longer suffix names the same file");
    });
  }

  @TestFactory
  Stream<DynamicTest> theClampLineHasACopyInEachFunctionItWasInlinedInto() {
    return each((b, bin) -> {
      int line = line(b, "CLAMP-LINE");
      LineResolution r = resolve(bin, "main.go:" + line);
      Set<String> hosts = r.sites().stream().map(s -> s.host().name()).collect(Collectors.toSet());
      assertTrue(hosts.containsAll(Set.of("main.useClampA", "main.useClampB")), hosts.toString());
      for (LineSite s : r.sites()) {
        assertEquals("main.clamp", s.function(), s.toString());
        assertEquals(s.host().name().equals("main.clamp"), s.copy().isEmpty(), s.toString());
        checkOracles(b, s, line);
        // The copy's code before the probe (after the stack check) is not on the line, but for
        // the register ABI's argument spills, which the rule skips.
        long probeEntry = bin.tracedSites(s.host()).probeEntry().getAsLong();
        assertTrue(s.pc() >= probeEntry, s.toString());
      }
      assertEquals(1, r.sites().stream().filter(s -> s.host().name().equals("main.useClampA")).count());
    });
  }

  @TestFactory
  Stream<DynamicTest> aLineWithoutCodeNamesTheNearbyLinesThatHaveSome() {
    return each((b, bin) -> {
      int body = line(b, "LOOP-BODY");
      int comment = body - 7; // "// ---- a line in a loop body" above main.loop's doc
      List<String> src = Files.readAllLines(TestBinaries.sourcesOf(b).resolve("main.go"));
      assertTrue(src.get(comment - 1).startsWith("// ----"), src.get(comment - 1));
      LineResolution r = resolve(bin, "main.go:" + comment);
      assertTrue(r.sites().isEmpty(), r.sites().toString());
      List<Integer> near = r.nearby(comment, 2);
      assertEquals(4, near.size(), near.toString());
      assertTrue(near.get(1) < comment && near.get(2) > comment, near.toString());
      assertTrue(r.linesWithCode().contains(body));
    });
  }

  @TestFactory
  Stream<DynamicTest> theLocalsOfTheLoopBodyAreLiveThere() {
    return each((b, bin) -> {
      LineSite s = resolve(bin, "main.go:" + line(b, "LOOP-BODY")).sites().get(0);
      GoDwarf d = bin.dwarf().orElseThrow();
      Subprogram loop = d.functionAt(s.pc()).orElseThrow();
      List<Param> locals = d.localsAt(loop.dieOffset(), s.pc());
      Set<String> names = locals.stream().map(Param::name).collect(Collectors.toSet());
      assertTrue(names.containsAll(Set.of("i", "acc")), b.label() + " " + names);
      Param i = locals.stream().filter(p -> p.name().equals("i")).findFirst().orElseThrow();
      assertEquals("int", i.type().name());
      assertTrue(i.placeAt(s.pc()).isPresent(), b.label() + ": i has no location at the loop body");
    });
  }

  @TestFactory
  Stream<DynamicTest> theLoopVariableIsInScopeOnlyInsideItsLexicalBlock() {
    return each((b, bin) -> {
      GoDwarf d = bin.dwarf().orElseThrow();
      GoFunc f = bin.function("main.loop").orElseThrow();
      Subprogram loop = d.functionAt(f.entry()).orElseThrow();
      long ret = bin.tracedSites(f).exits().stream()
          .filter(e -> e.kind() == ExitSite.Kind.RET).findFirst().orElseThrow().address();
      Set<String> atRet = d.localsAt(loop.dieOffset(), ret).stream().map(Param::name).collect(Collectors.toSet());
      assertTrue(atRet.contains("acc") && !atRet.contains("i"), b.label() + " at the RET: " + atRet);
      assertTrue(d.localsAt(loop.dieOffset(), ret).stream().noneMatch(Param::result), "locals are no results");
    });
  }

  @Test
  void targetsAreFileLinesOrFunctionOffsetsAndNothingElse() {
    assertEquals(Optional.of(new LineTarget.FileLine("main.go:52", "main.go", 52)), LineTarget.parse("main.go:52"));
    assertEquals(Optional.of(new LineTarget.FuncLine("main.loop+4", "main.loop", 4)), LineTarget.parse("main.loop+4"));
    assertEquals(Optional.empty(), LineTarget.parse("main.*"));
    assertEquals(Optional.empty(), LineTarget.parse("main.(*T).M"));
    assertEquals(Optional.empty(), LineTarget.parse("re:a+1"));
    assertEquals(Optional.empty(), LineTarget.parse("re:main.go:1"));
    assertThrows(IllegalArgumentException.class, () -> LineTarget.parse("main.go:0"));
    assertThrows(IllegalArgumentException.class, () -> LineTarget.parse("main.go:99999999999"));
    LineTarget.FileLine f = (LineTarget.FileLine) LineTarget.parse("look/main.go:1").orElseThrow();
    assertTrue(f.names("/root/x/look/main.go"));
    assertTrue(f.names("look/main.go"));
    assertFalse(f.names("/root/x/outlook/main.go"));
    assertFalse(f.names("/root/x/look/main.go.orig"));
  }
}
