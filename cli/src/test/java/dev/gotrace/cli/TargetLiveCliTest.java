package dev.gotrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gotrace.goelf.elf.ElfFile;
import dev.gotrace.goelf.elf.Section;
import dev.gotrace.testdata.GoServer;
import dev.gotrace.testdata.TestBinaries;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tracing commands say about their target once attached, as root with real uprobes. */
class TargetLiveCliTest {
  private static Path server() {
    return TestBinaries.get("go1.24", "amd64", "default", "server").path();
  }

  /** Every command's "Tracing…"/"Timing…" line names the traced pid, once, however often -p gave it. */
  @Test
  void tracingLineNamesThePidOnce() throws Exception {
    TestBinaries.requireRoot();
    Path bin = server();
    try (GoServer s = GoServer.start(bin)) {
      String pid = Integer.toString(s.pid());
      String named = bin.toRealPath() + " (pid " + pid + ")";
      for (List<String> cmd : List.of(List.of("funcs", "main.prepareAnswer"), List.of("args", "main.prepareAnswer"),
          List.of("latency", "main.prepareAnswer"), List.of("top", "main.prepareAnswer"), List.of("goroutines"))) {
        List<String> args = new java.util.ArrayList<>(cmd);
        args.addAll(List.of("-p", pid, "-p", pid, "--duration", "1s"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), cmd + ": " + r.err());
        String line = r.err().lines().filter(l -> l.startsWith("Tracing") || l.startsWith("Timing")).findFirst()
            .orElseThrow(() -> new AssertionError(cmd + ": no Tracing line in\n" + r.err()));
        assertTrue(line.contains(named), cmd + ": " + line);
        assertEquals(1, Pattern.compile(Pattern.quote(pid)).matcher(line).results().count(), cmd + ": " + line);
      }
    }
  }

  /**
   * A .debug_info that does not inflate: funcs, latency and goroutines work from pclntab with one
   * note; args says what it lost; list never reads DWARF.
   */
  @Test
  void unreadableDwarfFallsBackToPclntab(@TempDir Path dir) throws Exception {
    TestBinaries.requireRoot();
    Path bin = dir.resolve("server");
    Files.copy(server(), bin);
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    long at;
    try (ElfFile elf = ElfFile.open(bin)) {
      Section info = elf.section(".debug_info").orElseThrow();
      at = info.offset() + info.size() / 2;
    }
    try (RandomAccessFile f = new RandomAccessFile(bin.toFile(), "rw")) {
      byte[] junk = new byte[256];
      Arrays.fill(junk, (byte) 0xff);
      f.seek(at);
      f.write(junk);
    }
    String note = "gotrace: note: server's DWARF cannot be read (decoding .debug_info at 0x";

    CliRun info = CliRun.of("info", bin.toString());
    assertEquals(0, info.exitCode(), info.err());
    String dwarfRow = info.out().lines().filter(l -> l.startsWith("dwarf ")).findFirst().orElse("");
    assertTrue(dwarfRow.matches("dwarf\\s+unreadable \\(decoding \\.debug_info at 0x\\p{XDigit}+: .*\\): treated as absent,"
        + " argument types unavailable"), info.out());
    CliRun infoJson = CliRun.of("info", "--json", bin.toString());
    assertTrue(infoJson.out().contains("\"dwarfProblem\":\"decoding .debug_info at 0x"), infoJson.out());

    CliRun list = CliRun.of("list", bin.toString(), "main.prepareAnswer");
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().contains("main.prepareAnswer"), list.out());

    try (GoServer s = GoServer.start(bin)) {
      FuncsLiveCliTest.Running g = FuncsLiveCliTest.Running.start("funcs", bin.toString(), "main.prepareAnswer",
          "--count", "2", "--duration", "60s");
      g.awaitAttached();
      s.requests(2);
      assertEquals(0, g.exit().get(60, TimeUnit.SECONDS), g.err().toString());
      String first = g.err().toString().lines().findFirst().orElse("");
      assertTrue(first.startsWith(note) && first.endsWith("): functions, lines and probe sites come from pclntab alone"),
          first);
      // the calls themselves: pid, a goroutine id (from runtime.g's type descriptor), caller from pclntab
      assertEquals(2, g.out().toString().lines()
          .filter(l -> l.matches("\\S+\\s+" + s.pid() + "\\s+[1-9]\\d*\\s+main\\.prepareAnswer\\s+main\\.handler.*")).count(),
          g.out().toString());
    }

    for (List<String> cmd : List.of(List.of("latency", bin.toString(), "main.prepareAnswer"),
        List.of("goroutines", bin.toString()))) {
      List<String> args = new java.util.ArrayList<>(cmd);
      args.addAll(List.of("--duration", "1s"));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, r.exitCode(), cmd + ": " + r.err());
      String first = r.err().lines().findFirst().orElse("");
      assertTrue(first.startsWith(note) && first.endsWith("pclntab alone"), cmd + ": " + first);
    }
    CliRun args = CliRun.of("args", bin.toString(), "main.prepareAnswer", "--duration", "1s");
    assertEquals(0, args.exitCode(), args.err());
    String first = args.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith(note) && first.endsWith("): arguments are shown in hex, without names or types,"
        + " from the integer argument registers (RAX, RBX, RCX, RDI, RSI, R8-R11), one per argument word the"
        + " pclntab's argument info lists (a float argument would be in an X register, an array on the stack)"), first);
    assertEquals(1, args.err().lines().filter(l -> l.contains("DWARF")).count(), "said once: " + args.err());
  }
}
