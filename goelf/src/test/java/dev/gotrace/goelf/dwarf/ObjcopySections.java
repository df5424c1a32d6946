package dev.gotrace.goelf.dwarf;

import dev.gotrace.goelf.io.ByteCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only stand-in for the ELF reader: decompresses a binary's debug sections with GNU
 * objcopy, finds them with readelf, and hands their bytes over as cursors.
 */
final class ObjcopySections {
  private static final Map<Path, Map<String, byte[]>> CACHE = new ConcurrentHashMap<>();
  // [Nr] Name Type Address Off Size ...
  private static final Pattern ROW = Pattern.compile(
      "\\]\\s+(\\.\\S+)\\s+\\S+\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s+([0-9a-f]+)");

  private ObjcopySections() {}

  /** Section name → bytes for every .debug_* section of {@code bin}, decompressed. */
  static Map<String, byte[]> raw(Path bin) throws IOException {
    Map<String, byte[]> m = CACHE.get(bin);
    if (m == null) {
      m = extract(bin);
      CACHE.put(bin, m);
    }
    return m;
  }

  static DwarfSections load(Path bin) throws Exception {
    return of(raw(bin), bin);
  }

  static DwarfSections of(Map<String, byte[]> raw, Path file) throws Exception {
    return DwarfSections.of(name -> Optional.ofNullable(raw.get(name))
        .map(b -> ByteCursor.of(b, file, name, 0)));
  }

  /** 4 or 8, from the ELF class byte. */
  static int ptrSize(Path bin) throws IOException {
    byte[] h = new byte[5];
    try (var in = Files.newInputStream(bin)) {
      if (in.read(h) != 5) {
        throw new IOException("short file " + bin);
      }
    }
    return h[4] == 2 ? 8 : 4;
  }

  /** ELF e_machine. */
  static int machine(Path bin) throws IOException {
    byte[] h = new byte[20];
    try (var in = Files.newInputStream(bin)) {
      if (in.read(h) != 20) {
        throw new IOException("short file " + bin);
      }
    }
    return (h[18] & 0xff) | (h[19] & 0xff) << 8;
  }

  private static Map<String, byte[]> extract(Path bin) throws IOException {
    Path tmp = Files.createTempFile("gotrace-dwarf", ".elf");
    try {
      // objcopy here is built for x86 only; other machines are read as generic little-endian ELF.
      List<String> cmd = new java.util.ArrayList<>(List.of("objcopy"));
      int machine = machine(bin);
      if (machine != 62 && machine != 3) {
        cmd.addAll(List.of("-I", ptrSize(bin) == 8 ? "elf64-little" : "elf32-little"));
      }
      cmd.addAll(List.of("--decompress-debug-sections", bin.toString(), tmp.toString()));
      run(cmd);
      String table = run(List.of("readelf", "-S", "-W", tmp.toString()));
      byte[] all = Files.readAllBytes(tmp);
      Map<String, byte[]> out = new HashMap<>();
      for (String line : table.split("\n")) {
        Matcher mm = ROW.matcher(line);
        if (mm.find() && mm.group(1).startsWith(".debug_")) {
          int off = Integer.parseInt(mm.group(2), 16);
          int size = Integer.parseInt(mm.group(3), 16);
          byte[] b = new byte[size];
          System.arraycopy(all, off, b, 0, size);
          out.put(mm.group(1), b);
        }
      }
      return Map.copyOf(out);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String run(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(cmd + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
