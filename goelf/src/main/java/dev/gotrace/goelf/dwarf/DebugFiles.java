package dev.gotrace.goelf.dwarf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a separate debug file for a stripped binary may lie, in the order GDB searches
 * (GDB manual, "Debugging Information in Separate Files"): by build ID under
 * {@code /usr/lib/debug/.build-id/xx/rest.debug}, then by the {@code .gnu_debuglink} name beside
 * the binary, in its {@code .debug} subdirectory, and under {@code /usr/lib/debug} followed by
 * the binary's directory. This class only names candidates; the caller checks the build ID or
 * CRC of what it opens.
 */
public final class DebugFiles {
  /** The global debug directory of Debian, Fedora and most distributions. */
  public static final Path DEFAULT_ROOT = Path.of("/usr/lib/debug");

  private DebugFiles() {}

  /** Candidates under {@link #DEFAULT_ROOT}. */
  public static List<Path> candidates(Path binary, Optional<String> buildIdHex, Optional<String> debuglink) {
    return candidates(DEFAULT_ROOT, binary, buildIdHex, debuglink);
  }

  /**
   * Candidate paths, most specific first. A build ID must be hex of at least two bytes; a
   * debuglink must be a plain file name. Malformed values contribute no candidates.
   */
  public static List<Path> candidates(Path root, Path binary, Optional<String> buildIdHex,
      Optional<String> debuglink) {
    List<Path> out = new ArrayList<>();
    buildIdHex.map(h -> h.toLowerCase(Locale.ROOT)).filter(DebugFiles::isBuildId).ifPresent(h ->
        out.add(root.resolve(".build-id").resolve(h.substring(0, 2)).resolve(h.substring(2) + ".debug")));
    Optional<String> link = debuglink.filter(DebugFiles::isPlainName);
    if (link.isPresent()) {
      Path abs = binary.toAbsolutePath().normalize();
      Path dir = abs.getParent() == null ? abs.getRoot() : abs.getParent();
      out.add(dir.resolve(link.get()));
      out.add(dir.resolve(".debug").resolve(link.get()));
      Path rel = dir.getRoot() == null ? dir : dir.getRoot().relativize(dir);
      out.add(root.resolve(rel).resolve(link.get()));
    }
    out.removeIf(p -> p.equals(binary.toAbsolutePath().normalize()));
    return List.copyOf(out);
  }

  private static boolean isBuildId(String h) {
    return h.length() >= 4 && h.length() % 2 == 0 && h.length() <= 128
        && h.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
  }

  private static boolean isPlainName(String n) {
    return !n.isEmpty() && !n.contains("/") && !n.equals(".") && !n.equals("..") && n.indexOf('\0') < 0;
  }
}
