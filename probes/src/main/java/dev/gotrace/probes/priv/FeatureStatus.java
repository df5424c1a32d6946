package dev.gotrace.probes.priv;

import java.util.Optional;

/**
 * Whether a kernel feature is available and, when it is not, what the check saw: the running
 * kernel when the version decided it, and the refusal that did (may be empty).
 */
public record FeatureStatus(Feature feature, boolean available, Optional<KernelVersion> running, String detail) {
  public FeatureStatus {
    detail = detail == null ? "" : detail;
  }

  public static FeatureStatus present(Feature f) {
    return new FeatureStatus(f, true, Optional.empty(), "");
  }

  public static FeatureStatus absent(Feature f) {
    return new FeatureStatus(f, false, Optional.empty(), "");
  }

  public static FeatureStatus absent(Feature f, KernelVersion running, String detail) {
    return new FeatureStatus(f, false, Optional.of(running), detail);
  }

  /**
   * One line: "uprobe_multi links supported", or "uprobe_multi links not supported (requires
   * Linux >= 6.6, running 6.1.0)" with the refusal, if any, in parentheses after it.
   */
  public String message() {
    if (available) {
      return feature.title() + " supported";
    }
    return feature.title() + " " + feature.absentVerb() + " (requires " + feature.requires()
        + running.map(k -> ", running " + k).orElse("") + ")"
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** Throws {@link UnsupportedFeature} when the feature is absent. */
  public void require() {
    if (!available) {
      throw new UnsupportedFeature(this);
    }
  }
}
