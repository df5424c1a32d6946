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

  /**
   * The file offset of the first instruction of {@code symbol} after its stack check, when it
   * starts with the amd64 register-ABI check {@code cmp 0x10(%r14),%rsp; jbe} (the entry
   * otherwise). A probe at the entry itself fires twice for a call that grows its stack:
   * {@code runtime.morestack} restarts the function from its first instruction (DESIGN.md).
   */
  public static long pastStackCheck(Path binary, String symbol) {
    long off = fileOffset(binary, symbol);
    byte[] b = new byte[10];
    try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(binary)) {
      f.read(java.nio.ByteBuffer.wrap(b), off);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    boolean cmp = (b[0] & 0xff) == 0x49 && (b[1] & 0xff) == 0x3b && (b[2] & 0xff) == 0x66 && b[3] == 0x10;
    if (!cmp) {
      return off;
    }
    if ((b[4] & 0xff) == 0x76) { // jbe rel8
      return off + 6;
    }
    if ((b[4] & 0xff) == 0x0f && (b[5] & 0xff) == 0x86) { // jbe rel32
      return off + 10;
    }
    throw new IllegalStateException(symbol + " in " + binary + " starts with a stack check but no jbe after it");
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
