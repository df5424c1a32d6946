package dev.gotrace.probes.priv;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The kernel lacks a feature tracing needs (and every alternative to it): each absent feature
 * with the kernel that has it, e.g. "uprobe_multi links not supported (requires Linux >= 6.6,
 * running 6.1.0); uprobe perf events not supported (requires Linux >= 4.17 with
 * CONFIG_UPROBE_EVENTS)".
 */
public final class UnsupportedFeature extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<FeatureStatus> absent;

  /** {@code absent}: the features that are missing, the one asked for first, then its alternatives. */
  public UnsupportedFeature(FeatureStatus... absent) {
    this(List.of(absent), null);
  }

  public UnsupportedFeature(List<FeatureStatus> absent, Throwable cause) {
    super(text(absent), cause);
    if (absent.isEmpty() || absent.stream().anyMatch(FeatureStatus::available)) {
      throw new IllegalArgumentException("an UnsupportedFeature needs absent features: " + absent);
    }
    this.absent = List.copyOf(absent);
  }

  private static String text(List<FeatureStatus> absent) {
    return absent.stream().map(FeatureStatus::message).collect(Collectors.joining("; "));
  }

  /** The feature asked for. */
  public Feature feature() {
    return absent.get(0).feature();
  }

  /** The minimum kernel of the feature asked for: "Linux >= 6.6". */
  public String requires() {
    return feature().requires();
  }

  /** Every absent feature, the one asked for first. */
  public List<FeatureStatus> absent() {
    return absent;
  }
}
