package dev.gotrace.goelf.version;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Go toolchain version as a value. Either exact ("go1.22.12", "go1.21rc2", a devel build that
 * names its base release) or a range inferred from the pclntab format when the binary carries
 * no version string, in which case the patch is unknown and {@link #upToMinor()} is the newest
 * minor the evidence allows.
 *
 * <p>Comparisons use the lower bound: {@link #atLeast(int, int)} is true only when every version
 * in the range satisfies it.
 *
 * @param major 1
 * @param minor lower bound of the minor version; -1 when unknown (a devel build naming no release)
 * @param patch the patch release, 0 for "go1.20", -1 when unknown
 * @param upToMinor the newest minor this value may be; equals {@code minor} when exact,
 *     {@link Integer#MAX_VALUE} when open-ended
 * @param raw the text as found, e.g. "go1.22.12" or "devel go1.23-abc123 ..."; for inferred
 *     ranges a description of the evidence
 */
public record GoVersion(int major, int minor, int patch, int upToMinor, String raw)
    implements Comparable<GoVersion> {

  private static final Pattern RELEASE = Pattern.compile("go(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

  /** Parses {@code go1.22.12}, {@code go1.15.15}, {@code go1.21rc2}, {@code devel go1.23-abc ...}. */
  public static Optional<GoVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    boolean devel = t.startsWith("devel");
    Matcher m = RELEASE.matcher(t);
    if (devel) {
      if (m.find()) {
        return Optional.of(new GoVersion(num(m.group(1)), num(m.group(2)), -1, num(m.group(2)), t));
      }
      return Optional.of(new GoVersion(1, -1, -1, Integer.MAX_VALUE, t));
    }
    if (!m.lookingAt() || m.group(2) == null) {
      return Optional.empty();
    }
    int minor = num(m.group(2));
    boolean prerelease = m.end() < t.length() && Character.isLetter(t.charAt(m.end()));
    int patch = m.group(3) != null ? num(m.group(3)) : prerelease ? -1 : 0;
    return Optional.of(new GoVersion(num(m.group(1)), minor, patch, minor, t));
  }

  /** An exact release version, e.g. {@code of(1, 22, 12)}. */
  public static GoVersion of(int major, int minor, int patch) {
    return new GoVersion(major, minor, patch, minor, "go" + major + "." + minor + (patch > 0 ? "." + patch : ""));
  }

  /** A range of minors known only from indirect evidence (e.g. the pclntab magic). */
  public static GoVersion range(int fromMinor, int upToMinor, String evidence) {
    return new GoVersion(1, fromMinor, -1, upToMinor, evidence);
  }

  private static int num(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** Whether the version (every version of the range) is at least {@code major.minor}. */
  public boolean atLeast(int major, int minor) {
    if (this.minor < 0) {
      return false;
    }
    return this.major != major ? this.major > major : this.minor >= minor;
  }

  /** Whether major, minor and patch are all known. */
  public boolean isExact() {
    return minor >= 0 && upToMinor == minor && patch >= 0;
  }

  /** Whether the minor version is known (the patch may not be). */
  public boolean minorKnown() {
    return minor >= 0 && upToMinor == minor;
  }

  public boolean isDevel() {
    return raw.startsWith("devel");
  }

  /** "go1.22.12", or "go1.16..go1.17" for a range, or the raw devel string. */
  @Override
  public String toString() {
    if (minor >= 0 && upToMinor != minor) {
      return "go" + major + "." + minor + ".." + (upToMinor == Integer.MAX_VALUE ? "" : "go" + major + "." + upToMinor);
    }
    return raw;
  }

  @Override
  public int compareTo(GoVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    return c;
  }
}
