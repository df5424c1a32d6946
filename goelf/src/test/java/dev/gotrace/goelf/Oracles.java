package dev.gotrace.goelf;

import static org.junit.jupiter.api.Assertions.fail;

import dev.gotrace.testdata.TestBinaries;
import dev.gotrace.testdata.TestBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Independent oracles for the matrix binaries, each run at most once per binary: the matching
 * toolchain's {@code go tool nm}, GNU {@code objdump}. Also a cache of opened binaries, so that
 * the tests parse each binary once.
 */
final class Oracles {
  /** One line of {@code go tool nm -size -sort address}. */
  record NmSymbol(long address, long size, char type, String name) {}

  private static final Map<Path, GoBinary> OPENED = new ConcurrentHashMap<>();
  private static final Map<Path, List<NmSymbol>> NM = new ConcurrentHashMap<>();

  private Oracles() {}

  static GoBinary open(TestBinary t) {
    return OPENED.computeIfAbsent(t.path(), p -> {
      try {
        return GoBinary.open(p);
      } catch (GoBinaryException e) {
        throw new AssertionError(t.label() + ": " + e.describe(), e);
      }
    });
  }

  /** The {@code go} command of the toolchain that built {@code t}. */
  static Path goCommand(TestBinary t) {
    String minor = t.series().substring("go".length()); // 1.22
    return TestBinaries.cacheDir().resolve("toolchains").resolve(t.series())
        .resolve("usr/lib/go-" + minor + "/bin/go");
  }

  static List<NmSymbol> nm(TestBinary t) {
    return NM.computeIfAbsent(t.path(), p -> {
      String out = run(List.of(goCommand(t).toString(), "tool", "nm", "-size", "-sort", "address", p.toString()), true);
      List<NmSymbol> syms = new ArrayList<>();
      for (String line : out.split("\n")) {
        String[] f = line.trim().split("\\s+", 4);
        if (f.length == 4 && f[2].length() == 1) {
          syms.add(new NmSymbol(Long.parseUnsignedLong(f[0], 16), Long.parseLong(f[1]), f[2].charAt(0), f[3]));
        }
      }
      return List.copyOf(syms);
    });
  }

  /** The address {@code go tool nm} gives {@code name} in {@code t}; fails when it lists none. */
  static long nmAddress(TestBinary t, String name) {
    return nm(t).stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(t + ": go tool nm lists no " + name)).address();
  }

  /** Runs a command and returns its standard output; fails the test when it fails (unless allowed). */
  static String run(List<String> cmd, boolean allowFailure) {
    try {
      Path out = Files.createTempFile("gotrace-oracle", ".out");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
            .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail("timed out: " + cmd);
        }
        if (p.exitValue() != 0 && !allowFailure) {
          fail("failed (" + p.exitValue() + "): " + cmd);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }

  /**
   * The bytes GNU objdump shows for {@code [addr, addr+n)} of {@code path} ({@code objdump -s},
   * a hex dump of section contents, which works for every architecture).
   */
  static byte[] objdumpBytes(Path path, long addr, int n) {
    String out = run(List.of("objdump", "-s", "--start-address=0x" + Long.toHexString(addr),
        "--stop-address=0x" + Long.toHexString(addr + n), path.toString()), false);
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (String line : out.split("\n")) {
      // " 401000 554889e5 4883ec10 488b0d69 dc120048  UH..H...H..i...H"
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ ([0-9a-f]+) (.{1,35})").matcher(line);
      if (!m.find()) {
        continue;
      }
      for (String group : m.group(2).trim().split(" +")) {
        if (!group.matches("([0-9a-f]{2})+")) {
          break;
        }
        for (int i = 0; i < group.length(); i += 2) {
          b.write(Integer.parseInt(group.substring(i, i + 2), 16));
        }
      }
    }
    return b.toByteArray();
  }
}
