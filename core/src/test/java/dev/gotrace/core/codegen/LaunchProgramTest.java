package dev.gotrace.core.codegen;

import dev.gotrace.core.plan.LaunchFilter;
import dev.gotrace.core.plan.LaunchPlan;
import dev.gotrace.core.plan.LaunchSite;
import dev.gotrace.core.plan.NewprocLayout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.version.GoVersion;
import dev.gotrace.probes.asm.Disassembler;
import dev.gotrace.testdata.TestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden listings of the newproc1 program for both ABIs. Rewrite the files with
 * {@code -Dgotrace.updateGolden=true} after an intended change and review the diff.
 */
public class LaunchProgramTest {
  /** A launch plan of Go 1.{@code minor} with two sites, shared with the decoder's test. */
  public static LaunchPlan plan(int minor, long goid) {
    NewprocLayout l = NewprocLayout.forVersion(GoVersion.of(1, minor, 0)).orElseThrow();
    return new LaunchPlan(Path.of("/bin/server"), GoVersion.of(1, minor, 0), goid, true, l,
        List.of(new LaunchSite(0, false, 0x43000a, 0x3000a), new LaunchSite(1, true, 0x4301f0, 0x301f0)),
        List.of());
  }

  static void golden(String name, String actual) throws IOException {
    Path file = TestBinaries.repoRoot().resolve("core/src/test/resources/dev/gotrace/core/codegen").resolve(name);
    if (Boolean.getBoolean("gotrace.updateGolden")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "listing differs from " + file + " (rerun with -Dgotrace.updateGolden=true if intended)");
  }

  @Test
  void registerAbiReadsArgumentsAndResultFromRegisters() throws IOException {
    String listing = Disassembler.listing(LaunchProgram.generate(plan(24, 160), 8 << 20));
    golden("newproc1-register-abi.txt", listing);
    assertFalse(listing.contains("get_current_task"), listing);
  }

  @Test
  void stackAbiReadsArgumentsAndResultFromTheStack() throws IOException {
    String listing = Disassembler.listing(LaunchProgram.generate(plan(15, 152), 8 << 20));
    golden("newproc1-stack-abi.txt", listing);
    assertTrue(listing.contains("probe_read_user"), listing);
  }

  /**
   * goroutines --where: the started function's entry, made link-time, searched among three
   * ranges before any record is reserved; an exit of a rejected launch writes nothing.
   */
  @Test
  void whereChecksTheStartedFunctionBeforeReserving() throws IOException {
    LaunchFilter f = new LaunchFilter("hasPrefix(fn, \"main.\")", List.of(new LaunchFilter.Range(0x401000, 0x401200),
        new LaunchFilter.Range(0x402000, 0x402100), new LaunchFilter.Range(0x48a000, 0x48f000)), 7);
    String listing = Disassembler.listing(LaunchProgram.generate(plan(24, 160), Optional.of(f), 8 << 20));
    golden("newproc1-where.txt", listing);
    assertTrue(listing.indexOf("rejected") < listing.indexOf("ringbuf_reserve"), listing);
    assertEquals(Disassembler.listing(LaunchProgram.generate(plan(24, 160), 8 << 20)),
        Disassembler.listing(LaunchProgram.generate(plan(24, 160), Optional.empty(), 8 << 20)));
  }
}
