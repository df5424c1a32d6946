package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import org.junit.jupiter.api.Test;

/** Refusals of {@code gotrace funcs}: one line, a hint, a named exit code; no root needed. */
class FuncsCommandTest {
  static String demo() {
    return TestBinaries.demoServer().toString();
  }

  static void refused(CliRun r, ExitCode code, String what, String hint) {
    assertEquals(code.code(), r.exitCode(), r.err());
    String[] lines = r.err().strip().split("\n");
    assertEquals(2, lines.length, r.err());
    assertTrue(lines[0].startsWith("gotrace: ") && lines[0].contains(what), r.err());
    assertTrue(lines[1].startsWith("hint: ") && lines[1].contains(hint), r.err());
    assertEquals("", r.out());
  }

  @Test
  void noMatchSuggestsCloseNames() {
    refused(CliRun.of("funcs", demo(), "main.handlr"), ExitCode.NO_MATCH, "matches main.handlr",
        "did you mean main.handler");
  }

  @Test
  void inlinedOnlySaysWhere() {
    String wl = TestBinaries.get("go1.24", "amd64", "default", "workload").path().toString();
    refused(CliRun.of("funcs", wl, "main.add"), ExitCode.NO_MATCH, "inlined every call", "-gcflags=-l");
  }

  /**
   * A site that fails the last check before attach (core's AttachCheck) is a plan refusal: exit
   * code 4, the check's one line and its hint. No planner makes such a site from the matrix (the
   * core tests build them by hand), so this maps the exception itself.
   */
  @Test
  void anUnprovenSiteIsRefusedWithThePlanExitCode() {
    UserException u = Errors.toUserException(new dev.gotrace.core.plan.PlanException.UnprovenSite("./server",
        "the entry probe of main.f", 0x4a1b2d, "not an instruction boundary of main.f decoded from its entry 0x4a1b20"));
    assertEquals(ExitCode.UNSUPPORTED, u.exitCode());
    assertEquals(4, u.exitCode().code());
    assertEquals("refusing to attach the entry probe of main.f at 0x4a1b2d in ./server: not an instruction boundary"
        + " of main.f decoded from its entry 0x4a1b20", u.getMessage());
    assertTrue(u.hint().startsWith("nothing was attached"), u.hint());
  }

  @Test
  void tooManySitesNamesTheFlag() {
    refused(CliRun.of("funcs", demo(), "runtime.*", "--max-sites", "50"), ExitCode.USAGE,
        "more than the limit of 50 probes", "--max-sites");
  }

  /**
   * --max-sites counts probes: the demo's 7 main functions have 7 entries and 9 exits, so funcs
   * needs 7 probes, latency and args 16; the refusal names both counts and the flag value that fits.
   */
  @Test
  void maxSitesCountsProbesNotFunctions() {
    refused(CliRun.of("funcs", demo(), "main.*", "--max-sites", "6"), ExitCode.USAGE,
        "the patterns need 7 probes on 7 functions, more than the limit of 6 probes", "--max-sites 7");
    refused(CliRun.of("latency", demo(), "main.*", "--max-sites", "10"), ExitCode.USAGE,
        "the patterns need 16 probes on 7 functions, more than the limit of 10 probes", "--max-sites 16");
    refused(CliRun.of("args", demo(), "main.*", "--max-sites", "15"), ExitCode.USAGE,
        "the patterns need 16 probes on 7 functions, more than the limit of 15 probes", "--max-sites 16");
    refused(CliRun.of("top", demo(), "main.*", "--max-sites", "15"), ExitCode.USAGE,
        "the patterns need 16 probes on 7 functions", "--max-sites 16");
  }

  @Test
  void otherArchitectureIsRefused() {
    String arm = TestBinaries.get("go1.24", "arm64", "default", "server").path().toString();
    refused(CliRun.of("funcs", arm, "main.*"), ExitCode.UNSUPPORTED, "arm64 binary", "amd64");
  }

  @Test
  void missingPatternAndMissingCommandAreUsageErrors() {
    refused(CliRun.of("funcs", demo()), ExitCode.USAGE, "no function pattern", "PATTERN");
    refused(CliRun.of("funcs", "main.*", "--"), ExitCode.USAGE, "no command after --", "COMMAND");
    refused(CliRun.of("funcs", "main.*", "--duration", "soon", "-p", "1"), ExitCode.USAGE,
        "invalid --duration", "10s");
  }

  @Test
  void patternsWithAPackagePathAreNotTakenForTheBinary() {
    for (String pattern : new String[] {"net/http.*", "re:^(main|internal/fmtsort)\\.", "net/http.Get"}) {
      refused(CliRun.of("funcs", pattern, "-p", "999999999"), ExitCode.NO_TARGET, "no process with pid 999999999",
          "ps");
    }
    refused(CliRun.of("funcs", "testdata/no/server", "main.*"), ExitCode.NO_TARGET, "no such file", "Go executable");
  }

  @Test
  void absentTargetsAreNamed() {
    refused(CliRun.of("funcs", "main.*", "-p", "999999999"), ExitCode.NO_TARGET, "no process with pid 999999999",
        "ps");
    refused(CliRun.of("funcs", "./no/such/server", "main.*"), ExitCode.NO_TARGET, "no such file", "Go executable");
    refused(CliRun.of("funcs", "main.*", "--", "/no/such/program"), ExitCode.NO_TARGET, "no such executable",
        "Go program");
  }
}
