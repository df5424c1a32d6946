package dev.gotrace.probes.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: file offsets of function symbols, from binutils ({@code nm} for symbol values,
 * {@code readelf -lW} for the executable PT_LOAD), with
 * {@code offset = value - p_vaddr + p_offset} (kernel.md section 2.3). The probes module does
 * not read Go binaries itself; gotrace's goelf module does that in production.
 */
public final class ElfSymbols {
  private ElfSymbols() {}

  /** Text symbols (T/t) by name → file offset. */
  public static Map<String, Long> functionOffsets(Path binary) {
    long[] seg = execSegment(binary);
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : run("nm", binary.toString())) {
      String[] f = line.trim().split("\\s+", 3);
      if (f.length == 3 && (f[1].equals("T") || f[1].equals("t"))) {
        long value = Long.parseUnsignedLong(f[0], 16);
        if (value >= seg[1] && value < seg[1] + seg[2]) {
          out.putIfAbsent(f[2], value - seg[1] + seg[0]);
        }
      }
    }
    return out;
  }

  /** The file offset of function {@code symbol}. */
  public static long fileOffset(Path binary, String symbol) {
    Long off = functionOffsets(binary).get(symbol);
    if (off == null) {
      throw new IllegalStateException(binary + " has no function symbol " + symbol);
    }
    return off;
  }

  /** {p_offset, p_vaddr, p_memsz} of the executable PT_LOAD. */
  private static long[] execSegment(Path binary) {
    for (String line : run("readelf", "-lW", binary.toString())) {
      String t = line.trim();
      if (t.startsWith("LOAD") && t.contains(" E ")) {
        String[] f = t.split("\\s+");
        return new long[] {Long.decode(f[1]), Long.decode(f[2]), Long.decode(f[5])};
      }
    }
    throw new IllegalStateException(binary + " has no executable PT_LOAD");
  }

  private static List<String> run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return new ArrayList<>(out.lines().toList());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
