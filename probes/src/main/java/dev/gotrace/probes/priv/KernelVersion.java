package dev.gotrace.probes.priv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release such as 6.18.44, compared numerically. */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {
  private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** The running kernel, from {@code /proc/sys/kernel/osrelease}. */
  public static KernelVersion running() {
    try {
      return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the kernel release: " + e.getMessage(), e);
    }
  }

  /** Parses the leading {@code X.Y[.Z]} of a release string like {@code 6.18.44-fc}. */
  public static KernelVersion parse(String release) {
    Matcher m = RELEASE.matcher(release.trim());
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("not a kernel release: '" + release.trim() + "'");
    }
    return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  public boolean atLeast(int major, int minor) {
    return compareTo(new KernelVersion(major, minor, 0)) >= 0;
  }

  @Override
  public int compareTo(KernelVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
