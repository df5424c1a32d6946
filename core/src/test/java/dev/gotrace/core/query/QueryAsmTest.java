package dev.gotrace.core.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Item;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of the emitted blocks, for review: registers masked and sign-extended, a
 * pointer chain with its nil checks, a float's order key, a string compared word by word, keys.
 * Rewrite with {@code -Dgotrace.updateGolden=true} after an intended change and review the diff.
 */
class QueryAsmTest {
  static void golden(String name, String actual) throws IOException {
    Path file = TestBinaries.repoRoot().resolve("core/src/test/resources/dev/gotrace/core/query").resolve(name);
    if (Boolean.getBoolean("gotrace.updateGolden")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "listing differs from " + file + " (rerun with -Dgotrace.updateGolden=true if intended)");
  }

  static String listing(List<Item> block) {
    Program.Builder b = Program.builder().addAll(block).add(Insn.mov64(Reg.R0, 1), Insn.exit());
    return Disassembler.listing(b.label("reject").add(Insn.mov64(Reg.R0, 0), Insn.exit()).build());
  }

  static FunctionQuery plan(String where, String by) {
    return DifferentialTest.plan(where, by);
  }

  static final Window W = new Window(-48, Window.FIXED);

  @Test
  void integersInRegistersAreMaskedAndExtended() throws IOException {
    FunctionQuery q = plan("a > 2020 && b == -5 && c < 200 && !d", null);
    golden("ints.txt", listing(QueryAsm.test(q.entryFilter(), W, "w", "reject")));
  }

  @Test
  void aPointerChainChecksEveryPointer() throws IOException {
    FunctionQuery q = plan("hasPrefix(p.Next.Name, \"/api\")", null);
    golden("pointer-string.txt", listing(QueryAsm.test(q.entryFilter(), new Window(-48, QueryAsm.windowBytes(q)), "w",
        "reject")));
  }

  @Test
  void floatsCompareByOrderKeys() throws IOException {
    FunctionQuery q = plan("f > 1.5 || g != g", null);
    golden("floats.txt", listing(QueryAsm.test(q.entryFilter(), W, "w", "reject")));
  }

  @Test
  void keysAndCaptures() throws IOException {
    FunctionQuery q = plan("a > 1 && (r0 > 2 || b < 0)", "s, a, r1");
    StringBuilder b = new StringBuilder();
    b.append("; captures\n").append(listing(QueryAsm.captures(q.captures(), W, "c", -8)));
    b.append("; exit filter\n").append(listing(QueryAsm.test(q.exitFilter(), W, "x", "reject")));
    b.append("; entry keys at fp-256\n").append(listing(QueryAsm.keys(q.keys(), false, W, "k", Reg.R10, -256)));
    b.append("; exit keys into the map value in r7\n").append(listing(QueryAsm.keys(q.keys(), true, W, "m", Reg.R7, 0)));
    golden("keys.txt", b.toString());
  }

  @Test
  void aKeyBaseMustSurviveHelperCalls() {
    FunctionQuery q = plan(null, "a");
    assertThrows(IllegalArgumentException.class, () -> QueryAsm.keys(q.keys(), false, W, "k", Reg.R1, 0));
  }

  @Test
  void theWindowHoldsTheLongestLiteral() {
    assertEquals(Window.FIXED, QueryAsm.windowBytes(plan("a > 1", "s")));
    assertEquals(Window.FIXED + 16, QueryAsm.windowBytes(plan("s == \"0123456789\" || hasSuffix(t, \"x\")", null)));
    assertEquals(Window.FIXED + 128, QueryAsm.windowBytes(plan(null, "s > \"" + "a".repeat(121) + "\"")));
    assertEquals(Window.FIXED, QueryAsm.windowBytes(FunctionQuery.none(64)));
    assertEquals(Optional.empty(), FunctionQuery.none(64).entryFilter());
  }
}
