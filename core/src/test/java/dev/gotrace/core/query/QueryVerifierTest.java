package dev.gotrace.core.query;

import static dev.gotrace.probes.asm.Insn.add64;
import static dev.gotrace.probes.asm.Insn.call;
import static dev.gotrace.probes.asm.Insn.exit;
import static dev.gotrace.probes.asm.Insn.jmp;
import static dev.gotrace.probes.asm.Insn.ldMap;
import static dev.gotrace.probes.asm.Insn.ldx;
import static dev.gotrace.probes.asm.Insn.mov64;
import static dev.gotrace.probes.asm.Insn.st;
import static dev.gotrace.probes.asm.Insn.stx;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.probes.asm.Helper;
import dev.gotrace.probes.asm.JmpOp;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.asm.Size;
import dev.gotrace.probes.maps.BpfMap;
import dev.gotrace.probes.maps.MapSpec;
import dev.gotrace.probes.prog.AttachType;
import dev.gotrace.probes.prog.LoadedProgram;
import dev.gotrace.testdata.TestBinaries;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emitted code passes the kernel's verifier (as root; not skipped under CI=true): filters,
 * captures and keys of every kind, keys on the stack and in a map value, in one program as a
 * uprobe program embeds them.
 */
class QueryVerifierTest {
  @BeforeEach
  void root() {
    TestBinaries.requireRoot();
  }

  /** A program: the entry filter, the captures, the entry keys on the stack and in a map value, the exit test. */
  static Program program(FunctionQuery q) {
    int windowBytes = QueryAsm.windowBytes(q);
    Window w = new Window(-8 - windowBytes, windowBytes);
    int dst = -8;
    int keyOff = w.top() - 200;
    int keySize = q.keys().size();
    Program.Builder b = Program.builder().add(mov64(Reg.R6, Reg.R1));
    for (int i = 0; i < keySize; i += 8) {
      b.add(st(Size.DW, Reg.R10, keyOff + i, 0));
    }
    b.addAll(QueryAsm.test(q.entryFilter(), w, "in", "reject"));
    b.addAll(QueryAsm.captures(q.captures(), w, "cap", dst));
    b.addAll(QueryAsm.keys(q.keys(), false, w, "ke", Reg.R10, keyOff));
    b.add(ldx(Size.DW, Reg.R0, Reg.R10, dst), stx(Size.DW, Reg.R10, w.captured(), Reg.R0));
    b.addAll(QueryAsm.test(q.exitFilter(), w, "out", "reject"));
    b.addAll(QueryAsm.keys(q.keys(), true, w, "kx", Reg.R10, keyOff));
    // the same keys into a map value through R7
    b.add(st(Size.W, Reg.R10, -4, 0), ldMap(Reg.R1, "vals"), mov64(Reg.R2, Reg.R10), add64(Reg.R2, -4),
        call(Helper.MAP_LOOKUP_ELEM), jmp(JmpOp.JEQ, Reg.R0, 0, "reject"), mov64(Reg.R7, Reg.R0));
    b.addAll(QueryAsm.keys(q.keys(), false, w, "me", Reg.R7, 0));
    b.addAll(QueryAsm.keys(q.keys(), true, w, "mx", Reg.R7, 0));
    b.add(mov64(Reg.R0, 1), exit());
    b.label("reject").add(mov64(Reg.R0, 0), exit());
    return b.build();
  }

  static void verifies(FunctionQuery q) {
    try (BpfMap vals = BpfMap.create(MapSpec.array("vals", Math.max(8, q.keys().size()), 1));
        LoadedProgram p = LoadedProgram.load("gtquery", program(q), AttachType.PERF_EVENT, Map.of("vals", vals))) {
      assertTrue(p.slots() > 0);
    }
  }

  static FunctionQuery plan(String series, String program, String function, String where, String by)
      throws Exception {
    Scope s = QueryPlannerTest.scope(TestBinaries.get(series, "amd64", "default", program), function);
    return QueryPlanner.plan(Question.parse(Optional.ofNullable(where), Optional.ofNullable(by), 64), s, true);
  }

  @Test
  void stringsPointersAndKeysOfTheServerVerify() throws Exception {
    for (String series : new String[] {"go1.15", "go1.24"}) {
      verifies(plan(series, "server", "main.handler",
          "r.Method == \"GET\" && hasPrefix(r.URL.Path, \"/api\") || r.URL.Path < \"/zzzzzzzzzzzzzzzzzzzzzz\""
              + " && len(r.URL.Path) > 3 && r != nil && !hasSuffix(r.URL.Path, \"x.html\") && r.ContentLength >= -1",
          "r.URL.Path, r.Method == \"POST\", r.ContentLength, r.Close"));
      verifies(plan(series, "server", "main.prepareAnswer", "year > 2020 && name >= \"\" && name != \"\"",
          "name, year, status"));
    }
  }

  @Test
  void floatsResultsAndCapturesVerify() throws Exception {
    verifies(plan("go1.15", "workload", "main.withFloat", "x > 1.5 && x != -0.0 || x < -1e300", "x"));
    verifies(plan("go1.24", "workload", "main.multiResult", "ret0 > 3 && (a > 1 || ret1 == \"xx\") && ret2 == nil",
        "ret1, a, ret2 != nil"));
    verifies(plan("go1.15", "workload", "main.multiResult", "ret0 > 3 && (a > 1 || ret1 == \"xx\") && ret2 == nil",
        "ret1, a, len(s)"));
  }

  @Test
  void theLongestLiteralsVerify() throws Exception {
    String lit = "a".repeat(Typer.MAX_LITERAL);
    verifies(plan("go1.24", "server", "main.prepareAnswer", "name == \"" + lit + "\" || name > \"" + lit
        + "\" || hasSuffix(name, \"" + lit + "\")", null));
    verifies(QueryPlanner.plan(Question.parse(Optional.empty(), Optional.of("name"), Question.MAX_KEY_BYTES),
        QueryPlannerTest.scope(TestBinaries.get("go1.24", "amd64", "default", "server"), "main.prepareAnswer"), true));
  }

  /**
   * A test that can never pass ({@code r.Method < ""}, {@code !true}) or always passes (a string
   * in registers is always {@code >= ""}) still leaves both of its ways reachable, the only ways
   * to the program's accept and reject code here: the verifier refuses an unreachable instruction.
   */
  @Test
  void testsDecidedBeforeTheyRunVerify() throws Exception {
    List<FunctionQuery> qs = List.of(
        plan("go1.24", "server", "main.handler", "r.Method < \"\"", null),
        plan("go1.15", "server", "main.handler", "r.Method < \"\" || !true", null),
        plan("go1.24", "server", "main.prepareAnswer", "!true", null),
        plan("go1.24", "server", "main.prepareAnswer", "name >= \"\"", null));
    for (FunctionQuery q : qs) {
      int windowBytes = QueryAsm.windowBytes(q);
      Window w = new Window(-8 - windowBytes, windowBytes);
      Program.Builder b = Program.builder().add(mov64(Reg.R6, Reg.R1));
      b.addAll(QueryAsm.test(q.entryFilter().orElse(new Cond.Truth(true)), w, "in", "reject"));
      b.add(mov64(Reg.R0, 1), exit());
      b.label("reject").add(mov64(Reg.R0, 0), exit());
      try (LoadedProgram p = LoadedProgram.load("gtquery", b.build(), AttachType.PERF_EVENT, Map.of())) {
        assertTrue(p.slots() > 0, q.toString());
      }
    }
  }
}
