package dev.gotrace.goelf.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DebugFilesTest {
  @Test
  void buildIdAndDebuglinkCandidatesInGdbOrder() {
    List<Path> c = DebugFiles.candidates(Path.of("/opt/app/bin/server"),
        Optional.of("ABcdef0123"), Optional.of("server.debug"));
    assertEquals(List.of(
        Path.of("/usr/lib/debug/.build-id/ab/cdef0123.debug"),
        Path.of("/opt/app/bin/server.debug"),
        Path.of("/opt/app/bin/.debug/server.debug"),
        Path.of("/usr/lib/debug/opt/app/bin/server.debug")), c);
  }

  @Test
  void malformedValuesGiveNoCandidates() {
    Path bin = Path.of("/opt/app/server");
    assertEquals(List.of(), DebugFiles.candidates(bin, Optional.of("xyz1"), Optional.of("../../etc/passwd")));
    assertEquals(List.of(), DebugFiles.candidates(bin, Optional.of("ab"), Optional.of("")));
    assertEquals(List.of(), DebugFiles.candidates(bin, Optional.of("abc"), Optional.empty()));
    assertEquals(List.of(Path.of("/opt/app/.debug/server"), Path.of("/usr/lib/debug/opt/app/server")),
        DebugFiles.candidates(bin, Optional.empty(), Optional.of("server")), "never the binary itself");
  }
}
