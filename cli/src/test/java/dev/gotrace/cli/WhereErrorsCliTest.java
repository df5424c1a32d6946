package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expressions gotrace refuses, through the CLI: each is one line naming the problem and the
 * column, a hint line where one helps, and exit code 10, before anything is attached (no root
 * needed). A text that does not parse is refused before the binary is read.
 */
class WhereErrorsCliTest {
  private static final String SERVER = TestBinaries.get("go1.24", "amd64", "default", "server").path().toString();

  /** The lines gotrace printed, without notes. */
  private static List<String> refusal(String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCode.EXPRESSION.code(), r.exitCode(), String.join(" ", args) + ": " + r.err());
    assertEquals("", r.out());
    return r.err().lines().filter(l -> !l.startsWith("gotrace: note:")).toList();
  }

  @Test
  void planTimeErrorsNameTheColumn() {
    assertEquals(List.of("gotrace: main.handler has no parameter req; it has w, r (column 1 of 'req.URL.Path == \"/\"')",
        "hint: did you mean r?"), refusal("funcs", SERVER, "main.handler", "--where", "req.URL.Path == \"/\""));
    assertEquals(List.of("gotrace: *http.Request has no field Url; did you mean URL? (column 22 of"
        + " 'len(r.Method) > 0 && r.Url.Path == \"/\"')"),
        refusal("funcs", SERVER, "main.handler", "--where", "len(r.Method) > 0 && r.Url.Path == \"/\""));
    assertEquals(List.of("gotrace: cannot compare int year with string \"2021\" (column 1 of 'year == \"2021\"')"),
        refusal("args", SERVER, "main.prepareAnswer", "--where", "year == \"2021\""));
    String deep = "r.Response.Request.Response.Request.Response.Request.Response.Request.Response.Request.Method";
    assertEquals(List.of("gotrace: " + deep + " reads more than 8 pointers (too deep) (column 1 of '" + deep
        + " == \"GET\"')"), refusal("funcs", SERVER, "main.handler", "--where", deep + " == \"GET\""));
  }

  @Test
  void resultsAreRefusedWhereTheCallIsDecidedAtItsEntry() {
    for (String command : List.of("funcs", "args")) {
      assertEquals(List.of("gotrace: ret0 of main.prepareAnswer is known only when it returns; this command"
          + " decides at the entry (column 1 of 'ret0 == \"x\"')", "hint: results are for latency and top, which see returns"),
          refusal(command, SERVER, "main.prepareAnswer", "--where", "ret0 == \"x\""), command);
    }
  }

  @Test
  void aTextThatDoesNotParseIsRefusedBeforeTheBinaryIsRead() {
    for (String command : List.of("funcs", "args")) {
      assertEquals(List.of("gotrace: '=' is not a comparison (write ==) (column 6 of 'year = 2021')",
          "hint: the grammar is in the README, 'Asking questions: --where and --by'"),
          refusal(command, "./no/such/server", "main.*", "--where", "year = 2021"), command);
    }
    assertEquals("gotrace: expected a value (column 6 of 'fn ==')",
        refusal("goroutines", "./no/such/server", "--where", "fn ==").get(0));
  }

  @Test
  void goroutinesKnowsOnlyTheLaunchedFunction() {
    assertEquals("gotrace: goroutines --where knows only fn, the launched function's name (runtime.newproc1's own"
        + " values are the runtime's, not the program's) (column 14 of 'fn == \"x\" || arg0 == 1')",
        refusal("goroutines", SERVER, "--where", "fn == \"x\" || arg0 == 1").get(0));
  }

  @Test
  void latencyAndTopRefuseWhereAndByTheSameWay() {
    for (String command : List.of("latency", "top")) {
      assertEquals(List.of("gotrace: '=' is not a comparison (write ==) (column 5 of 'year=2021')", "hint: " + Errors.GRAMMAR),
          refusal(command, "./no/such/server", "main.*", "--where", "year=2021"), command);
      assertEquals(List.of("gotrace: expected a value, not ',' (column 6 of 'year,,')", "hint: " + Errors.GRAMMAR),
          refusal(command, "./no/such/server", "main.*", "--by", "year,,"), command);
      assertEquals(List.of("gotrace: *http.Request has no field Url; did you mean URL? (column 1 of 'r.Url.Path')"),
          refusal(command, SERVER, "main.handler", "--by", "r.Url.Path"), command);
      assertEquals(List.of("gotrace: cannot compare int year with string ret0 (column 6 of 'name,year == ret0')"),
          refusal(command, SERVER, "main.prepareAnswer", "--by", "name,year == ret0"), command);
      assertEquals(List.of("gotrace: the --by part 'year > 2020 && ret0 == \"\"' mixes arguments and results; one part"
          + " is read either at the entry or at a return (column 1 of 'year > 2020 && ret0 == \"\"')",
          "hint: split it into two parts"),
          refusal(command, SERVER, "main.prepareAnswer", "--by", "year > 2020 && ret0 == \"\""), command);
    }
  }

  /** A pattern's functions must all have what the expression names; the hint names those that do. */
  @Test
  void aPatternWithFunctionsWithoutTheNameIsRefusedWithThoseThatHaveIt() {
    assertEquals(List.of("gotrace: main.main has no parameter year; it has none (column 1 of 'year > 1')",
        "hint: 1 of the 7 matching functions has what it names: main.prepareAnswer; name it instead of the pattern"),
        refusal("funcs", SERVER, "main.*", "--where", "year > 1"));
    assertEquals(List.of("gotrace: main.main has no parameter r; it has none (column 1 of 'r.Method')",
        "hint: 2 of the 7 matching functions have what it names: main.handler, main.ping; name them instead of the pattern"),
        refusal("latency", SERVER, "main.*", "--by", "r.Method"));
  }
}
