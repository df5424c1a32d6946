package dev.gotrace.probes.maps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs, from {@code /sys/devices/system/cpu/possible} (a list such as
 * {@code 0-1} or {@code 0,2-5}); per-CPU maps hold one slot for each, online or not.
 */
public final class PossibleCpus {
  private static final Path FILE = Path.of("/sys/devices/system/cpu/possible");
  private static volatile int cached;

  private PossibleCpus() {}

  public static int count() {
    int c = cached;
    if (c == 0) {
      try {
        c = parse(Files.readString(FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + FILE, e);
      }
      cached = c;
    }
    return c;
  }

  /** Counts the CPUs in a list like {@code 0-3,5} (the highest index + 1, as the kernel sizes). */
  public static int parse(String list) {
    int max = -1;
    for (String part : list.trim().split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      int hi = Integer.parseInt(dash < 0 ? part : part.substring(dash + 1));
      max = Math.max(max, hi);
    }
    if (max < 0) {
      throw new IllegalArgumentException("empty CPU list '" + list + "'");
    }
    return max + 1;
  }
}
