package dev.gotrace.testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The eBPF programs and links a process holds, read from its descriptors'
 * {@code /proc/PID/fdinfo} ({@code prog_id:} for a program, {@code link_id:} for a link), so a
 * test can ask the kernel afterwards whether exactly those are gone while other tracers run.
 */
public record BpfHeld(Set<Integer> programs, Set<Integer> links) {
  public static BpfHeld of(long pid) throws IOException {
    Set<Integer> programs = new HashSet<>();
    Set<Integer> links = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
      for (Path fd : fds.toList()) {
        String info;
        try {
          info = Files.readString(fd);
        } catch (IOException closedMeanwhile) {
          continue;
        }
        Integer link = field(info, "link_id");
        Integer prog = field(info, "prog_id");
        if (link != null) {
          links.add(link);
        } else if (prog != null) {
          programs.add(prog);
        }
      }
    }
    return new BpfHeld(Set.copyOf(programs), Set.copyOf(links));
  }

  private static Integer field(String info, String name) {
    return info.lines().filter(l -> l.startsWith(name + ":"))
        .map(l -> Integer.valueOf(l.substring(name.length() + 1).trim())).findFirst().orElse(null);
  }
}
