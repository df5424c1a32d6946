package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.testdata.TestBinaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The help as a user reads it: whole, true to what each command accepts and writes. */
class HelpTest {
  /** An option line of picocli's help: "  -p, --pid=PID   Trace..." or "      --json   One...". */
  private static final Pattern OPTION = Pattern.compile("^\\s+(?:(-\\w), )?(--[\\w-]+)(?:=(\\S+))?\\s{2,}\\S.*");

  @Test
  void completionHelpShowsTheZshInstallPath() {
    CliRun r = CliRun.of("completion", "--help");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.equals("  gotrace completion zsh > \"${fpath[1]}/_gotrace\"")), r.out());
    assertFalse(r.out().contains("null"), r.out());
  }

  @Test
  void topLevelHelpListsEveryCommandOnOneLineAndEnds() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    int first = lines.indexOf("Commands:") + 1;
    assertTrue(first > 0, r.out());
    for (int i = 0; i < GotraceCommandNames.ALL.size(); i++) {
      String cmd = GotraceCommandNames.ALL.get(i);
      String line = lines.get(first + i);
      assertTrue(line.matches("  " + Pattern.quote(cmd) + " +\\S.*\\.$"), "one whole line for " + cmd + ": " + line);
    }
    assertEquals("", lines.get(first + GotraceCommandNames.ALL.size()), "nothing after the command list: " + r.out());
    assertTrue(lines.stream().allMatch(l -> l.length() <= 80), r.out());
    assertTrue(r.out().contains("Exit codes: 0 ok"), r.out());
  }

  /** The command list the README shows is the one gotrace --help prints. */
  @Test
  void readmeShowsTheCommandListAsPrinted() throws Exception {
    List<String> readme = java.nio.file.Files.readAllLines(TestBinaries.repoRoot()
        .resolve("README.md"));
    int at = readme.indexOf("    Commands:");
    assertTrue(at >= 0, "README shows the command list");
    List<String> shown = new ArrayList<>();
    for (int i = at; i < readme.size() && readme.get(i).startsWith("    "); i++) {
      shown.add(readme.get(i).substring(4));
    }
    List<String> printed = CliRun.of("--help").out().lines().dropWhile(l -> !l.equals("Commands:"))
        .takeWhile(l -> !l.isEmpty()).toList();
    assertEquals(printed, shown);
  }

  /**
   * Every option a command's --help lists is accepted by it: the run gets past the options to the
   * target, which does not exist (exit 8), instead of refusing the option (exit 2).
   */
  @Test
  void everyOptionInEachCommandsHelpIsAccepted(@TempDir Path tmp) {
    String file = tmp.resolve("rec.jfr").toString();
    Map<String, String> values = Map.of("TIME", "1s", "N", "1", "FILE", file, "PID", "999999999", "EXPR", "arg0 == 1",
        "ORDER", "count", "NAMES", "main.requests", "WEIGHT", "calls",
        "[ADDR:]PORT", "0", "URL", "http://127.0.0.1:4318/v1/metrics");
    Map<String, List<String>> targets = new LinkedHashMap<>();
    targets.put("info", List.of("./no/such/server"));
    targets.put("list", List.of("./no/such/server", "main.*"));
    targets.put("funcs", List.of("./no/such/server", "main.*"));
    targets.put("args", List.of("./no/such/server", "main.*"));
    targets.put("latency", List.of("./no/such/server", "main.*"));
    targets.put("goroutines", List.of("./no/such/server"));
    targets.put("top", List.of("./no/such/server", "main.*"));
    targets.put("serve", List.of("./no/such/server"));
    targets.put("demo", List.of("--binary", "./no/such/server"));
    assertEquals(GotraceCommandNames.ALL.stream().filter(c -> !c.equals("completion")).toList(),
        List.copyOf(targets.keySet()), "every command with options is checked");
    int checked = 0;
    try {
      for (var t : targets.entrySet()) {
        for (String[] option : options(t.getKey())) {
          String name = option[0];
          if (List.of("--help", "--version").contains(name)) {
            continue;
          }
          List<String> args = new ArrayList<>(List.of(t.getKey(), name));
          if (name.equals("--binary")) { // demo's target itself
            args.add("./no/such/server");
          } else {
            if (option[1] != null) {
              assertTrue(values.containsKey(option[1]), "a value for " + option[1]);
              args.add(values.get(option[1]));
            }
            args.addAll(t.getValue());
          }
          CliRun r = CliRun.of(args.toArray(String[]::new));
          String firstLine = r.err().lines().findFirst().orElse("");
          assertEquals(ExitCode.NO_TARGET.code(), r.exitCode(), String.join(" ", args) + ": " + r.err());
          assertTrue(firstLine.equals("gotrace: no such file: ./no/such/server")
              || firstLine.equals("gotrace: no process with pid 999999999"), String.join(" ", args) + ": " + firstLine);
          checked++;
        }
      }
    } finally {
      Errors.setDebug(false); // --debug was among them
    }
    assertTrue(checked >= 40, "options checked: " + checked);
  }

  @Test
  void topHasNoJson() {
    assertTrue(options("top").stream().noneMatch(o -> o[0].equals("--json")));
    CliRun r = CliRun.of("top", "--json", "./no/such/server", "main.*");
    assertEquals(ExitCode.USAGE.code(), r.exitCode());
    assertEquals("gotrace: unknown option '--json' for gotrace top", r.err().lines().findFirst().orElse(""));
  }

  @Test
  void goroutinesHelpOffersNoPatternsAndNoMaxSites() {
    CliRun r = CliRun.of("goroutines", "--help");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("Usage: gotrace goroutines [BINARY] [-p PID]..."), r.out());
    assertFalse(r.out().contains("PATTERN"), r.out());
    assertFalse(r.out().contains("--max-sites"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+\\[BINARY]\\s+The Go executable.*")), r.out());
    CliRun sites = CliRun.of("goroutines", "--max-sites", "5", "./no/such/server");
    assertEquals(ExitCode.USAGE.code(), sites.exitCode());
    assertEquals("gotrace: unknown option '--max-sites' for gotrace goroutines",
        sites.err().lines().findFirst().orElse(""));
  }

  @Test
  void jfrHelpNamesTheEventsEachCommandWrites() {
    assertEquals(List.of("GoCall"), jfrEvents("funcs"));
    assertEquals(List.of("GoCall"), jfrEvents("args"));
    assertEquals(List.of("LatencySummary", "GoCall"), jfrEvents("latency"));
    assertEquals(List.of("GoroutineLaunch"), jfrEvents("goroutines"));
  }

  /** Unknown commands and options, and the command-specific refusals: one "gotrace: " prefix, a hint. */
  @Test
  void noMessageRepeatsTheGotracePrefix() {
    String[][] cases = {
      {"frobnicate"}, {"fucns", "main.*"}, {"--no-such-option"}, {"funcs", "--bogus", "main.*"},
      {"funcs", "--jsn", "main.*"}, {"info", "a", "b"}, {"goroutines", FuncsCommandTest.demo(), "main.*"},
    };
    String[] expected = {
      "gotrace: unknown command 'frobnicate'",
      "gotrace: unknown command 'fucns'",
      "gotrace: unknown option '--no-such-option' for gotrace",
      "gotrace: unknown option '--bogus' for gotrace funcs",
      "gotrace: unknown option '--jsn' for gotrace funcs",
      "gotrace: unexpected argument 'b' for gotrace info",
      "gotrace: goroutines takes no function pattern",
    };
    for (int i = 0; i < cases.length; i++) {
      CliRun r = CliRun.of(cases[i]);
      List<String> lines = r.err().lines().toList();
      assertEquals(ExitCode.USAGE.code(), r.exitCode(), String.join(" ", cases[i]) + ": " + r.err());
      assertEquals(2, lines.size(), r.err());
      assertEquals(expected[i], lines.get(0));
      assertFalse(lines.get(0).startsWith("gotrace: gotrace"), lines.get(0));
      assertTrue(lines.get(1).startsWith("hint: "), lines.get(1));
    }
    CliRun typo = CliRun.of("fucns", "main.*");
    assertTrue(typo.err().contains("hint: did you mean funcs? the commands are info, list, funcs,"), typo.err());
    CliRun jsn = CliRun.of("funcs", "--jsn", "main.*");
    assertTrue(jsn.err().contains("hint: did you mean --json? see 'gotrace funcs --help'"), jsn.err());
  }

  /** The event types named in the help of {@code command}'s --jfr, in order. */
  private static List<String> jfrEvents(String command) {
    CliRun r = CliRun.of(command, "--help");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    int at = 0;
    while (at < lines.size() && !lines.get(at).contains("--jfr=FILE")) {
      at++;
    }
    assertTrue(at < lines.size(), r.out());
    StringBuilder help = new StringBuilder(lines.get(at));
    for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("          "); i++) {
      help.append(' ').append(lines.get(i).strip()); // the option's wrapped description
    }
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\b(GoCall|LatencySummary|GoroutineLaunch)\\b").matcher(help);
    while (m.find()) {
      if (!names.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** The options {@code command --help} lists: {long name, value label or null}. */
  private static List<String[]> options(String command) {
    CliRun r = CliRun.of(command, "--help");
    assertEquals(0, r.exitCode(), r.err());
    List<String[]> out = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      Matcher m = OPTION.matcher(line);
      if (m.matches()) {
        out.add(new String[] {m.group(2), m.group(3)});
      }
    }
    assertFalse(out.isEmpty(), r.out());
    return out;
  }
}
