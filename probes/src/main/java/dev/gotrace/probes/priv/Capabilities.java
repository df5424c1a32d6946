package dev.gotrace.probes.priv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** The effective capability set of this process ({@code CapEff} of {@code /proc/self/status}). */
public record Capabilities(long mask) {

  public static Capabilities effective() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return new Capabilities(Long.parseUnsignedLong(line.substring(7).trim(), 16));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status: " + e.getMessage(), e);
    }
    throw new IllegalStateException("/proc/self/status has no CapEff line");
  }

  public boolean has(Capability c) {
    return (mask >>> c.bit() & 1) != 0;
  }

  /** Those of {@code needed} this set lacks. */
  public Set<Capability> missing(Set<Capability> needed) {
    EnumSet<Capability> out = EnumSet.noneOf(Capability.class);
    for (Capability c : needed) {
      if (!has(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
