package dev.gotrace.probes.bench;

import dev.gotrace.probes.asm.Insn;
import dev.gotrace.probes.asm.Program;
import dev.gotrace.probes.asm.Reg;
import dev.gotrace.probes.link.UprobeLink;
import dev.gotrace.probes.link.UprobeSite;
import dev.gotrace.probes.link.Uprobes;
import dev.gotrace.probes.prog.LoadedProgram;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The uprobe floor for {@code bench/run.sh}: a program that only returns ({@code r0 = 0; exit}),
 * attached to the given file offsets of a binary the way gotrace attaches (one uprobe_multi link,
 * every process running the binary), so a traced call costs the uprobe and nothing else.
 *
 * <p>Usage: {@code FloorProbe BINARY FILE_OFFSET...}; prints {@code attached N sites (MODE)},
 * then holds the probes until its standard input is closed.
 */
public final class FloorProbe {
  private FloorProbe() {}

  public static void main(String[] args) throws IOException {
    Path binary = Path.of(args[0]);
    List<UprobeSite> sites = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sites.add(new UprobeSite(Long.decode(args[i]), i));
    }
    Program noop = Program.of(Insn.mov64(Reg.R0, 0), Insn.exit());
    var mode = Uprobes.choose().mode();
    try (LoadedProgram p = LoadedProgram.load("bench_floor", noop, mode.attachType(), Map.of());
        UprobeLink link = Uprobes.attach(p, binary, sites, 0)) {
      System.out.println("attached " + sites.size() + " sites (" + link.mode() + ")");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the probes until stdin closes
      }
    }
  }
}
