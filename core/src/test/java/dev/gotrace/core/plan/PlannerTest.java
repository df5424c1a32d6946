package dev.gotrace.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.GoBinary;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.arch.Register;
import dev.gotrace.goelf.match.NamePattern;
import dev.gotrace.goelf.pclntab.GoFunc;
import dev.gotrace.goelf.sites.FunctionSites;
import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans on real binaries, and each refusal with its hint. No root needed. */
class PlannerTest {
  static ProbePlan plan(Path bin, String... patterns) throws Exception {
    try (GoBinary b = GoBinary.open(bin)) {
      return new Planner(Arch.AMD64, Planner.DEFAULT_MAX_SITES)
          .plan(b, List.of(patterns).stream().map(NamePattern::parse).toList());
    }
  }

  @Test
  void oneSitePerFunctionAfterThePrologueWithCookieIndex() throws Exception {
    Path bin = TestBinaries.demoServer();
    ProbePlan p = plan(bin, "main.*");
    assertEquals(List.of("main.main", "main.envPort", "main.handler", "main.checkSite",
            "main.checkSite.func1", "main.prepareAnswer", "main.ping").stream().sorted().toList(),
        p.sites().stream().map(ProbeSite::function).sorted().toList());
    try (GoBinary b = GoBinary.open(bin)) {
      for (int i = 0; i < p.sites().size(); i++) {
        ProbeSite s = p.sites().get(i);
        assertEquals(i, s.cookie());
        GoFunc f = b.function(s.function()).orElseThrow();
        FunctionSites sites = b.sites(f);
        assertEquals(sites.probeEntry().getAsLong(), s.probeAddress());
        assertTrue(sites.isInstructionBoundary(s.probeAddress()));
        assertTrue(s.probeAddress() > s.entry(), s + ": after the stack check");
        assertEquals(b.fileOffset(s.probeAddress()).getAsLong(), s.fileOffset());
      }
    }
    assertEquals(new GAccess.InRegister(new Register("r14", 14, 14, 8)), p.g());
    assertEquals(160, p.goidOffset());
    assertTrue(p.goidFromDwarf());
  }

  @Test
  void go115UsesTheThreadLocalGAndStrippedUsesTheTable() throws Exception {
    ProbePlan old = plan(TestBinaries.get("go1.15", "amd64", "default", "server").path(), "main.handler");
    assertEquals(new GAccess.ThreadLocal(-8), old.g());
    assertEquals(152, old.goidOffset());
    ProbePlan stripped = plan(TestBinaries.get("go1.24", "amd64", "stripped", "server").path(), "main.handler");
    assertFalse(stripped.goidFromDwarf());
    assertEquals(160, stripped.goidOffset());
  }

  /**
   * Stripped and distro builds of the current releases: g.goid comes from runtime.g's type
   * descriptor (not DWARF), and is the offset the unstripped twin's DWARF gives.
   */
  @Test
  void strippedCurrentGoTakesGoidFromTheBinary() throws Exception {
    for (String series : List.of("go1.25", "go1.26", "go1.27")) {
      long dwarf = plan(TestBinaries.get(series, "amd64", "default", "server").path(), "main.handler").goidOffset();
      for (String variant : List.of("stripped", "distro")) {
        ProbePlan p = plan(TestBinaries.get(series, "amd64", variant, "server").path(), "main.handler");
        assertFalse(p.goidFromDwarf(), series + "/" + variant);
        assertEquals(dwarf, p.goidOffset(), series + "/" + variant);
      }
    }
  }

  /** A stripped build whose runtime.g descriptor lost its name: refused, one line, saying why. */
  @Test
  void underivableLayoutIsRefusedWithTheReason() throws Exception {
    Path path = TestBinaries.get("go1.26", "amd64", "stripped", "server").path();
    byte[] img = java.nio.file.Files.readAllBytes(path);
    byte[] name = "\n*runtime.g".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int hits = 0;
    for (int i = 0; i + name.length <= img.length; i++) {
      if (java.util.Arrays.equals(img, i, i + name.length, name, 0, name.length)) {
        img[i + name.length - 1] = 'h';
        hits++;
      }
    }
    assertEquals(1, hits, "runtime.g's name string");
    try (GoBinary b = GoBinary.of(img, path)) {
      PlanException.NoGoroutineLayout e = assertThrows(PlanException.NoGoroutineLayout.class,
          () -> new Planner(Arch.AMD64, Planner.DEFAULT_MAX_SITES).plan(b, List.of(NamePattern.parse("main.handler"))));
      assertTrue(e.getMessage().contains("runtime.malg loads no type descriptor named runtime.g")
          && !e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void noMatchSuggestsCloseNames() {
    PlanException.NoMatch e = assertThrows(PlanException.NoMatch.class,
        () -> plan(TestBinaries.demoServer(), "main.handlr"));
    assertEquals("main.handler", e.suggestions().get(0));
    assertTrue(e.hint().contains("main.handler"), e.hint());
    PlanException.NoMatch glob = assertThrows(PlanException.NoMatch.class,
        () -> plan(TestBinaries.demoServer(), "mian.*"));
    assertTrue(glob.suggestions().contains("main.*"), glob.suggestions().toString());
  }

  @Test
  void inlinedOnlyFunctionSaysWhereItWasInlined() {
    Path bin = TestBinaries.get("go1.24", "amd64", "default", "workload").path();
    PlanException.InlinedOnly e = assertThrows(PlanException.InlinedOnly.class, () -> plan(bin, "main.add"));
    assertTrue(e.getMessage().contains("main.inlineUser"), e.getMessage());
    assertTrue(e.getMessage().contains("2 copies"), e.getMessage());
  }

  @Test
  void tooManySitesNamesTheFlag() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      PlanException e = assertThrows(PlanException.TooManySites.class,
          () -> new Planner(Arch.AMD64, 10).plan(b, List.of(NamePattern.parse("runtime.*"))));
      assertTrue(e.hint().contains("--max-sites"), e.hint());
      assertTrue(e.getMessage().contains("more than the limit of 10 probes"), e.getMessage());
    }
  }

  @Test
  void latencyCountsEntriesAndExitsAgainstTheLimit() throws Exception {
    try (GoBinary b = GoBinary.open(TestBinaries.demoServer())) {
      List<NamePattern> main = List.of(NamePattern.parse("main.*"));
      LatencyPlan plan = new LatencyPlanner(1000).plan(b, main);
      int probes = plan.functions().size() + plan.functions().stream().mapToInt(f -> f.exits().size()).sum();
      assertEquals(plan.functions().size(), new LatencyPlanner(probes).plan(b, main).functions().size());
      PlanException e = assertThrows(PlanException.TooManySites.class,
          () -> new LatencyPlanner(probes - 1).plan(b, main));
      assertTrue(e.getMessage().startsWith("the patterns need " + probes + " probes on " + plan.functions().size()
          + " functions"), e.getMessage());
    }
  }

  @Test
  void refusesABinaryOfAnotherArchitecture() {
    Path arm = TestBinaries.get("go1.24", "arm64", "default", "server").path();
    PlanException e = assertThrows(PlanException.WrongArch.class, () -> plan(arm, "main.*"));
    assertTrue(e.getMessage().contains(" is an arm64 binary"), e.getMessage());
    assertTrue(e.hint().startsWith("live tracing is amd64 only"), e.hint());
    assertEquals("a", PlanException.WrongArch.article("386"));
    assertEquals("an", PlanException.WrongArch.article("amd64"));
  }

  @Test
  void editDistance() {
    assertEquals(1, Suggestions.distance("main.handlr", "main.handler", 3));
    assertEquals(4, Suggestions.distance("abcdefgh", "zzzz", 3));
  }
}
