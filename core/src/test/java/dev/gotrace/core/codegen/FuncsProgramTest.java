package dev.gotrace.core.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.core.plan.GAccess;
import dev.gotrace.core.plan.ProbePlan;
import dev.gotrace.core.plan.ProbeSite;
import dev.gotrace.core.stack.FrameStart;
import dev.gotrace.core.stack.Unwinding;
import dev.gotrace.goelf.arch.Arch;
import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of the generated program for both ways of reaching g. Rewrite the files with
 * {@code -Dgotrace.updateGolden=true} after an intended change and review the diff.
 */
class FuncsProgramTest {
  static ProbePlan plan(GAccess g, long goid) {
    return new ProbePlan(Path.of("/bin/server"), Arch.AMD64, GoVersion.of(1, 24, 4), g, goid, true,
        List.of(new ProbeSite(0, "main.handler", 0x401000, 0x40100a, 0x1000a)), List.of());
  }

  static void golden(String name, String actual) throws IOException {
    Path file = TestBinaries.repoRoot().resolve("core/src/test/resources/dev/gotrace/core/codegen").resolve(name);
    if (Boolean.getBoolean("gotrace.updateGolden")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "listing differs from " + file + " (rerun with -Dgotrace.updateGolden=true if intended)");
  }

  @Test
  void registerAbiReadsGFromR14() throws IOException {
    String listing = Disassembler.listing(FuncsProgram.generate(
        plan(new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow()), 160), OptionalLong.empty(), 8 << 20));
    golden("funcs-register-abi.txt", listing);
    assertTrue(!listing.contains("get_current_task"), listing);
  }

  @Test
  void stackAbiReadsGThroughFsbase() throws IOException {
    String listing = Disassembler.listing(FuncsProgram.generate(
        plan(new GAccess.ThreadLocal(-8), 152), OptionalLong.of(3128), 8 << 20));
    golden("funcs-stack-abi.txt", listing);
    assertTrue(listing.contains("get_current_task"), listing);
  }

  @Test
  void withStackTheWalkPrecedesTheReserveAndTheRecordKeepsItsId() throws IOException {
    ProbePlan p = plan(new GAccess.InRegister(Arch.AMD64.gRegister().orElseThrow()), 160);
    String listing = Disassembler.listing(FuncsProgram.generate(p, Optional.empty(),
        Optional.of(new Unwinding(3, List.of(new FrameStart.Proven(0)))), OptionalLong.empty(), 8 << 20));
    golden("funcs-stack-3.txt", listing);
    assertTrue(listing.indexOf("map_update_elem") < listing.indexOf("ringbuf_reserve"), listing);
  }

  @Test
  void threadLocalGNeedsTheFsbaseOffset() {
    assertThrows(IllegalArgumentException.class, () -> FuncsProgram.generate(
        plan(new GAccess.ThreadLocal(-8), 152), OptionalLong.empty(), 8 << 20));
  }
}
